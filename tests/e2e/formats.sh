# spindex reads what newsrooms keep: plain text, JSON Lines, TREC SGML,
# HTML, each also gzipped; a bad record is reported with its line and
# skipped, and the rest of the file is indexed.
. "$top_srcdir/tests/e2e/lib.sh"

fx=$(cd "$top_srcdir/tests/fixtures/reader" && pwd -P)
c="$tmp/corpus"
mkdir "$c"
cp "$fx"/* "$c/"
gzip -c "$fx/feed.jsonl" >"$c/feed-copy.jsonl.gz"
gzip -c "$fx/wire.trec" | head -c 300 >"$c/cut.trec.gz"

run "$SPINDEX" --db "$tmp/idx" "$c"
expect_rc 1 "a corpus with bad records is indexed, with exit 1"
check "a line that is not JSON is named with file and line" \
    grep -q "^spindex: $c/feed.jsonl:4: not JSON" "$tmp/err"
check "a JSON line without a body is named with file and line" \
    grep -q "^spindex: $c/feed.jsonl:6: no body or text field" "$tmp/err"
check "the same bad lines are named inside the .gz" \
    grep -q "^spindex: $c/feed-copy.jsonl.gz:4: not JSON" "$tmp/err"
check "a truncated gzip stream is named" \
    grep -q "^spindex: $c/cut.trec.gz: .*truncated" "$tmp/err"

# search QUERY: the hits as "file|title" lines, sorted, each copy (the
# .gz of a file is one) a hit.
search() {
    run "$SPSEARCH" --db "$tmp/idx" --duplicates -n 50 --format '%p|%t\n' "$1"
    sed "s|$c/||" "$tmp/out" | sort >"$tmp/hits"
}

search "night ferry"
check "every format finds the night ferry story" \
    test "$(cut -d'|' -f1 "$tmp/hits" | sort -u | tr '\n' ' ')" = \
    "article.html byline.txt feed-copy.jsonl.gz feed.jsonl wire.trec "
search "bus lanes"
check "each JSON line is its own article, with its title" \
    grep -q '^feed.jsonl|Council Delays Vote on Bus Lanes$' "$tmp/hits"
search mirador
check "a JSON title is searchable as words, unicode escapes decoded" \
    grep -q '^feed.jsonl|Café "Mirador" Reopens After Flood$' "$tmp/hits"
search 'title:"best loaf"'
check "a TREC headline with entities is the title" \
    grep -q '^wire.trec|Smith & Sons Wins "Best Loaf" Prize$' "$tmp/hits"
search date:1994-03-15
check "a TREC date becomes a date filter" \
    test "$(cat "$tmp/hits")" = 'wire.trec|Harbor Authority Approves Night Ferry Trial'
search author:ilves
check "bylines become the author field" \
    test "$(cut -d'|' -f1 "$tmp/hits" | sort -u | tr '\n' ' ')" = \
    "article.html byline.txt feed-copy.jsonl.gz feed.jsonl wire.trec "
search ads
check "an HTML page's scripts are not indexed" test ! -s "$tmp/hits"
search sport
check "an HTML page's navigation is not indexed" test ! -s "$tmp/hits"
search '"night ferry trial approved"'
check "an HTML page's title comes from its headline" \
    grep -q '^article.html|Night Ferry Trial Approved$' "$tmp/hits"

# Which article of a many-article file a hit is, and where it lives.
run "$SPSEARCH" --db "$tmp/idx" -n 50 --format '%p|%i|%u\n' "night ferry"
sed "s|$c/||" "$tmp/out" | sort >"$tmp/links"
check "a JSON line's hit has its id and url" \
    grep -qx 'feed.jsonl|kp-0001|https://news.example.org/kessel/harbor-ferry' \
    "$tmp/links"
check "a TREC document's hit has its DOCNO as id" \
    grep -qx 'wire.trec|KPW19940315-0001|' "$tmp/links"
check "an HTML page's hit has its canonical URL, and no id" \
    grep -qx 'article.html||https://news.example.org/kessel/harbor-ferry?ref=a&b=1' \
    "$tmp/links"
check "a plain-text article has neither" grep -qx 'byline.txt||' "$tmp/links"
run "$SPSEARCH" --db "$tmp/idx" --json mirador
check "a JSON line without an id is known by its url, in --json too" \
    grep -q '"id":"https://news.example.org/kessel/cafe-reopens","url":"https://news.example.org/kessel/cafe-reopens"' \
    "$tmp/out"
run "$SPSEARCH" --db "$tmp/idx" --json 'title:"best loaf"'
check "--json: a TREC hit's id, and url null" \
    grep -q '"id":"KPW19940317-0022","url":null' "$tmp/out"
run "$SPSEARCH" --db "$tmp/idx" --color=never --duplicates -n 50 "bus lanes"
check "text output: the id after the path (a JSON number as written)" \
    grep -q "^   $c/feed.jsonl (17)  score " "$tmp/out"
run "$SPSEARCH" --db "$tmp/idx" --color=never --duplicates mirador
check "text output: the url on its own line, once when it is the id" \
    sh -c "grep -q '^   https://news.example.org/kessel/cafe-reopens$' '$tmp/out' &&
           ! grep -q 'feed.jsonl (' '$tmp/out'"

# Who wrote it and where it ran, in every output.
run "$SPSEARCH" --db "$tmp/idx" -n 50 --format '%p|%a|%o\n' "night ferry"
sed "s|$c/||" "$tmp/out" | sort -u >"$tmp/about"
check "a JSON line's authors and source" \
    grep -qx 'feed.jsonl|Marta Ilves, Tom Åberg|Kessel Post' "$tmp/about"
check "an HTML page's meta author and og:site_name" \
    grep -qx 'article.html|Marta Ilves|Kessel Post' "$tmp/about"
check "a plain-text byline" grep -q '^byline.txt|Marta Ilves|$' "$tmp/about"
run "$SPSEARCH" --db "$tmp/idx" --color=never -n 50 "night ferry"
check "text output: date, source and author after the title" \
    grep -q '^[0-9]*\. \[Night Ferry\] Trial Approved (2025-07-31, Kessel Post, Marta Ilves)$' \
    "$tmp/out"
run "$SPSEARCH" --db "$tmp/idx" --json 'title:"best loaf"'
check "--json: author and source are null when unknown" \
    grep -q '"author":null,"source":null' "$tmp/out"

# Archives from before UTF-8: a Windows-1252 text and a KOI8-R page are
# found by their accented words and shown in UTF-8.
l="$tmp/legacy"
mkdir "$l"
printf 'Caf\351 cr\350me \340 Z\374rich\n\nLe \223march\351\224 des p\342tissiers.\n' \
    >"$l/latin1.txt"
printf '<html><head><meta charset="koi8-r"></head><body><p>\355\317\323\313\327\301: \320\305\322\305\307\317\327\317\322\331.</p></body></html>' \
    >"$l/koi8.html"
run "$SPINDEX" --db "$tmp/legacy-idx" -v "$l"
expect_rc 0 "files in Windows-1252 and KOI8-R are indexed"
check "spindex -v says what a file was decoded from" \
    grep -q "^added $l/latin1.txt (decoded from windows-1252)$" "$tmp/out"
run "$SPSEARCH" --db "$tmp/legacy-idx" --json cafe
check "a Windows-1252 file: cafe finds Café, shown in UTF-8" \
    grep -q '"title":"Café crème à Zürich"' "$tmp/out"
run "$SPSEARCH" --db "$tmp/legacy-idx" --json pâtissier
check "...its curly quotes too" grep -q '“marché”' "$tmp/out"
run "$SPSEARCH" --db "$tmp/legacy-idx" --json москва
check "a page in KOI8-R, as its <meta> says: москва finds Москва" \
    grep -q '"text":"Москва: переговоры."' "$tmp/out"

# Datelines as the French and German press write them date articles.
printf 'Sommet \303\240 Paris\n\nParis, le 1er ao\303\273t 2025 \342\200\224 Le sommet hafnium.\n' \
    >"$l/paris.txt"
printf 'Gipfel in Berlin\n\nBerlin, 31. Juli 2025. Der Gipfel hafnium.\n' \
    >"$l/berlin.txt"
"$SPINDEX" --db "$tmp/legacy-idx" "$l" >/dev/null
run "$SPSEARCH" --db "$tmp/legacy-idx" --format '%d %p\n' --sort oldest hafnium
check "French and German datelines give the articles their dates" \
    test "$(sed "s|$l/||" "$tmp/out" | tr '\n' ' ')" = \
    "2025-07-31 berlin.txt 2025-08-01 paris.txt "
run "$SPSEARCH" --db "$tmp/legacy-idx" -l --since 2025-08 hafnium
check "...which --since filters on" test "$(cat "$tmp/out")" = "$l/paris.txt"

# The truncated file's whole articles stay; a re-run reports nothing new.
run "$SPINDEX" --db "$tmp/idx" "$c"
check "a second run over the same corpus reports the same problems only once more" \
    test "$(grep -c 'feed.jsonl:4' "$tmp/err")" -le 1

finish
