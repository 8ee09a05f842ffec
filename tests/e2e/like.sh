# spsearch --like: the articles like an indexed one, found by its most
# telling words, the article itself left out.
. "$top_srcdir/tests/e2e/lib.sh"

fx=$(cd "$top_srcdir/tests/fixtures/reader" && pwd -P)
db="$tmp/idx"
"$SPINDEX" --db "$db" "$CORPUS" "$fx" >/dev/null 2>&1 || true
art=003_007efc6446bec603.txt

# A path as the shell has it (relative) names the article spindex stored
# under its absolute path.
cd "$CORPUS"
run "$SPSEARCH" --db "$db" --json --like "$art"
cd - >/dev/null
expect_rc 0 "--like an indexed article"
check "...the article itself is not among its hits" \
    sh -c "! grep -q '\"path\":\"$CORPUS/$art\"' '$tmp/out'"
check "...the other four articles on the talks are its best four" \
    test "$(hits | head -4 | sort | tr '\n' ' ')" = \
    "000_d9a4be1c3b1e15b8.txt 001_37ff818fd7faee62.txt 002_99863aae14a88d0b.txt 004_2e1e28aae998c8dd.txt "
check "--json: the words searched come first, as the query" \
    sh -c "head -1 '$tmp/out' | grep -Eq '^\{\"query\":\"[a-z]+( OR [a-z]+){11}\"\}$'"
check "...words of the article, not function words" \
    sh -c "head -1 '$tmp/out' | grep -q 'roscosmos' &&
           ! head -1 '$tmp/out' | grep -Eq '\"(the|of|and) | (the|of|and)( |\")'"
check "stderr says what was searched" grep -q '^spsearch: searching: .* OR ' "$tmp/err"
words=$(sed -n 's/^{"query":"\(.*\)"}$/\1/p' "$tmp/out" | head -1)
run "$SPSEARCH" --db "$db" --json -n 20 -- $words
grep -v "/$art\"" "$tmp/out" | grep '"rank"' | sed 's/"rank":[0-9]*,//' \
    >"$tmp/by-query"
run "$SPSEARCH" --db "$db" --json -n 19 --like "$CORPUS/$art"
grep '"rank"' "$tmp/out" | sed 's/"rank":[0-9]*,//' >"$tmp/by-like"
check "the hits are those of its words as a query, but for the article" \
    cmp -s "$tmp/by-query" "$tmp/by-like"

run "$SPSEARCH" --db "$db" -q --like "$CORPUS/$art"
check "-q: no note on stderr" test ! -s "$tmp/err"
run "$SPSEARCH" --db "$db" -q -c --like "$CORPUS/$art"
count=$(cat "$tmp/out")
run "$SPSEARCH" --db "$db" -q -l -n 1000 --like "$CORPUS/$art"
check "-c counts the articles -l lists, the article itself not ($count)" \
    test "$count" -eq "$(wc -l <"$tmp/out")"
for d in 2025-07-31 2025-08-01; do
    run "$SPSEARCH" --db "$db" -q -c --since $d --like "$CORPUS/$art"
    count=$(cat "$tmp/out")
    run "$SPSEARCH" --db "$db" -q -l -n 1000 --since $d --like "$CORPUS/$art"
    check "...with --since $d too ($count)" \
        test "$count" -eq "$(wc -l <"$tmp/out")"
done

# An article of a file of several: PATH#ID, as the output shows them.
run "$SPSEARCH" --db "$db" --json --duplicates --like "$fx/feed.jsonl#kp-0001"
expect_rc 0 "--like PATH#ID, a JSON line"
check "...the line itself left out, the file's other lines searchable" \
    sh -c "! grep -q '\"id\":\"kp-0001\"' '$tmp/out' && grep -q '\"rank\":1,' '$tmp/out'"
check "...its words are the night ferry's" \
    sh -c "head -1 '$tmp/out' | grep -q 'ferry'"

# A new article, not indexed: the archive's articles like it.
mkdir "$tmp/new"
printf 'Talks in orbit\n\nThe heads of Roscosmos and NASA met to discuss the\nInternational Space Station, cross-flights and cooperation despite\nsanctions; Roscosmos wants the ISS extended.\n' >"$tmp/new/talks.txt"
run "$SPSEARCH" --db "$db" --json --like "$tmp/new/talks.txt"
expect_rc 0 "--like a file the index does not hold"
check "...finds the five articles on the talks first" \
    test "$(hits | head -5 | sort | tr '\n' ' ')" = \
    "000_d9a4be1c3b1e15b8.txt 001_37ff818fd7faee62.txt 002_99863aae14a88d0b.txt 003_007efc6446bec603.txt 004_2e1e28aae998c8dd.txt "
check "...by the file's words" \
    sh -c "head -1 '$tmp/out' | grep -q 'roscosmos' && head -1 '$tmp/out' | grep -q 'sanctions'"
# ...and a JSON Lines file not indexed, by one of its lines' ids.
cp "$fx/feed.jsonl" "$tmp/new/other-feed.jsonl"
run "$SPSEARCH" --db "$db" --json --like "$tmp/new/other-feed.jsonl#kp-0001"
check "...a line of a file not indexed, by its id: its words are its own" \
    sh -c "test $rc -eq 0 && head -1 '$tmp/out' | grep -q 'ferry' &&
           grep -q '\"id\":\"kp-0001\"' '$tmp/out'"

# An article in another language: its words are read, and searched, in
# its own, as spindex indexed it (detected from its text).
mkdir "$tmp/fr"
cat >"$tmp/fr/fusees.txt" <<'FR'
Les lancements de fusées russes reprennent à Baïkonour

Les agences spatiales ont confirmé que les lancements des fusées russes reprendront dès la semaine prochaine. Les ingénieurs de la base vérifient les moteurs et les réservoirs des lanceurs, et les équipages se préparent aux vols habités vers la station orbitale.
FR
cat >"$tmp/fr/lanceur.txt" <<'FR'
Un nouveau lanceur russe prépare son premier vol

L'agence spatiale russe prépare le lancement d'une nouvelle fusée depuis Baïkonour. Le lanceur, plus puissant, emportera un équipage vers la station orbitale ; les ingénieurs vérifient le moteur et le réservoir avant le vol habité.
FR
cat >"$tmp/fr/vendanges.txt" <<'FR'
Les vendanges commencent tôt en Bourgogne

Les vignerons de Bourgogne ont commencé les vendanges avec deux semaines d'avance. La chaleur de l'été a mûri les raisins plus vite que prévu, et les caves se remplissent déjà de jus sucré.
FR
"$SPINDEX" --db "$tmp/fr-idx" "$CORPUS" "$tmp/fr" >/dev/null
run "$SPSEARCH" --db "$tmp/fr-idx" --json --like "$tmp/fr/fusees.txt"
check "--like a French article: the other one on Russian launches, and only it" \
    test "$(hits | tr '\n' ' ')" = "lanceur.txt "
check "...its words read in French: its articles les, des are not among them" \
    sh -c "head -1 '$tmp/out' | grep -q 'fusées' &&
           ! head -1 '$tmp/out' | grep -Eq '\"(les|des) | (les|des)( |\")'"
mkdir "$tmp/fr-new"
cp "$tmp/fr/fusees.txt" "$tmp/fr-new/autre.txt"
run "$SPSEARCH" --db "$tmp/fr-idx" --json --like "$tmp/fr-new/autre.txt"
check "...and a French file not indexed: the two articles on launches" \
    test "$(hits | sort | tr '\n' ' ')" = "fusees.txt lanceur.txt "

run "$SPSEARCH" --db "$db" --like "$tmp/nowhere.txt"
expect_rc 2 "--like a path neither indexed nor a file"
check "...says so, naming it" \
    grep -q "^spsearch: no article $tmp/nowhere.txt in the index, nor a file to read" "$tmp/err"
run "$SPSEARCH" --db "$db" --like "$CORPUS/$art" nasa
expect_rc 2 "--like with a query too"
check "...says the article's words are the query" \
    grep -q -- "--like takes no query" "$tmp/err"

# A compacted copy has no term lists: the words come from the stored text.
"$SPINDEX" --db "$db" --compact="$tmp/compact" >/dev/null
run "$SPSEARCH" --db "$db" --format '%p\n' --like "$CORPUS/$art"
cp "$tmp/out" "$tmp/like-full"
run "$SPSEARCH" --db "$tmp/compact" --format '%p\n' --like "$CORPUS/$art"
check "a compacted copy finds the same articles" \
    sh -c "test -s '$tmp/out' && cmp -s '$tmp/out' '$tmp/like-full'"

finish
