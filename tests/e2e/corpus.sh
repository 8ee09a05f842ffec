# The bundled corpus, searched as a user would: the promises of the README.
. "$top_srcdir/tests/e2e/lib.sh"

db="$tmp/idx"
run "$SPINDEX" --db "$db" "$CORPUS"
expect_rc 0 "spindex indexes the bundled corpus"
check "spindex prints nothing when not on a terminal (cron mails only problems)" \
    test ! -s "$tmp/out" -a ! -s "$tmp/err"
if command -v script >/dev/null 2>&1; then
    script -qc "'$SPINDEX' --db '$tmp/tty-idx' '$CORPUS'" /dev/null \
        >"$tmp/tty-index" 2>&1 || true
    check "on a terminal spindex shows progress with an estimate, then a summary" \
        sh -c "tr '\\r' '\\n' <'$tmp/tty-index' | grep -q 'files, .* left' &&
               grep -q '5 added, 0 updated' '$tmp/tty-index'"
fi

run "$SPINDEX" --db "$db" --stats
check "--stats: the articles, and the span of their dates" \
    sh -c "grep -qx 'articles: 5' '$tmp/out' &&
           grep -qx 'dates:    2025-07-31 to 2025-08-01' '$tmp/out'"
check "--stats: the index's format" grep -qx 'format:   [0-9]*' "$tmp/out"

# A phrase written with a hyphen finds the one article that has it.
run "$SPSEARCH" --db "$db" --json "cross-flight program"
expect_rc 0 "cross-flight program: found"
check "cross-flight program: only the article that contains it" \
    test "$(hits)" = "003_007efc6446bec603.txt"
run "$SPSEARCH" --db "$db" --color=never "cross-flight program"
check "cross-flight program: the phrase is highlighted" \
    grep -q '\[cross-flight program\]' "$tmp/out"
golden cross-flight.txt "cross-flight program: text output as expected"
run "$SPSEARCH" --db "$db" '"cross flight program"'
check "\"cross flight program\" finds the hyphenated phrase too" \
    grep -q '003_007efc6446bec603.txt' "$tmp/out"

# A passage that runs from a paragraph into an indented list reads as one
# line: the blank line and the indent between them are one space.
run "$SPSEARCH" --db "$db" --color=never "core strength"
check "a passage across a paragraph break shows one space for it" \
    grep -q '^   Bakanov`s proposal suggests a continued focus on this \[core strength\]: • International Space Station Operations:' "$tmp/out"
run "$SPSEARCH" --db "$db" --format '%x\n' "core strength"
check "...in --format's %x too" \
    grep -q '\[core strength\]: • International' "$tmp/out"
run "$SPSEARCH" --db "$db" --json "core strength"
check "...while --json keeps the text as the article has it" \
    grep -q 'strength\]*:\\n\\n  • International' "$tmp/out"

# A best passage that begins with the headline (the headline joins the
# paragraph after it, its lede) shows the headline once, in the hit's first
# line, with the words marked, and below it the lede; JSON gives the passage
# whole.
run "$SPSEARCH" --db "$db" --color=never "unsanctioned skies"
check "a headline match: the headline is marked in the hit's first line" \
    grep -q '^1\. Space Diplomacy in Action: Roscosmos and NASA Chart a Course Through \[Unsanctioned Skies\] (2025-08-01)$' "$tmp/out"
check "...and the lede below it, from its start" \
    grep -q '^   CAPE CANAVERAL, Florida, USA – In a landscape often characterized' "$tmp/out"
check "...the headline not printed again" \
    test "$(grep -c 'Unsanctioned' "$tmp/out")" -eq 1
run "$SPSEARCH" --db "$db" --color=never nasa
check "nasa: the headline's match is marked in the hit's first line" \
    grep -q '^[0-9]\. Space Diplomacy in Action: Roscosmos and \[NASA\] Chart a Course Through Unsanctioned Skies (2025-08-01)$' "$tmp/out"
check "...and the lede is shown around its own match" \
    grep -q '^   \.\.\..*the United States` \[NASA\] held their first face-to-face' "$tmp/out"
check "...the headline once" \
    test "$(grep -c 'Through Unsanctioned Skies' "$tmp/out")" -eq 1
run "$SPSEARCH" --db "$db" --color=always nasa
check "...in colour the marked word is red and the rest of the headline stays bold" \
    grep -q "$(printf '^\033\\[1m[0-9]\\. Space Diplomacy in Action: Roscosmos and \033\\[1;31mNASA\033\\[0m\033\\[1m Chart')" "$tmp/out"
run "$SPSEARCH" --db "$db" --color=never --per-article 2 nasa
check "--per-article 2 shows each passage whole, the headline too" \
    test "$(grep -c 'Through Unsanctioned Skies' "$tmp/out")" -eq 2
run "$SPSEARCH" --db "$db" --json "unsanctioned skies"
check "--json gives the passage whole, headline and lede" \
    grep -q '"passage":{"text":"Space Diplomacy in Action: Roscosmos and NASA Chart a Course Through Unsanctioned Skies\\n\\nCAPE CANAVERAL, Florida' "$tmp/out"

# A dateline under the headline is the date the hit's first line shows: the
# lede below starts after it; JSON gives the passage whole and the lede's
# offset.
mkdir "$tmp/dated"
printf '%s\n' 'Harbour Ferry Fares Frozen' 'March 3, 2025' '' \
    'The city froze harbour ferry fares for a year.' >"$tmp/dated/ferry.txt"
run "$SPINDEX" --db "$tmp/dated.db" "$tmp/dated"
run "$SPSEARCH" --db "$tmp/dated.db" --color=never fares
check "a dateline under the headline: the date in the first line, the lede below" \
    sh -c "grep -q '^1\. Harbour Ferry \[Fares\] Frozen (2025-03-03)\$' '$tmp/out' &&
           grep -q '^   The city froze harbour ferry \[fares\] for a year\.\$' '$tmp/out'"
check "...the dateline not printed again" sh -c "! grep -q 'March' '$tmp/out'"
run "$SPSEARCH" --db "$tmp/dated.db" --json fares
check "--json: the passage whole, and where its lede begins" \
    grep -q '"text":"Harbour Ferry Fares Frozen\\nMarch 3, 2025\\n\\nThe city.*,"lede":42}' "$tmp/out"

# An article that is only its headline: no passage line under it.
mkdir "$tmp/brief"
printf 'Tram Line Opens Three Weeks Early\n' >"$tmp/brief/tram.txt"
run "$SPINDEX" --db "$tmp/brief.db" "$tmp/brief"
run "$SPSEARCH" --db "$tmp/brief.db" --color=never tram
check "a headline-only article: the marked headline, then its path, then nothing" \
    sh -c "grep -q '^1\. \[Tram\] Line Opens Three Weeks Early\$' '$tmp/out' &&
           test \"\$(grep -c . '$tmp/out')\" -eq 2"

# Every form of deorbit, "De-orbiting" included, and not the fifth.
run "$SPSEARCH" --db "$db" --json deorbit
expect_rc 0 "deorbit: found"
check "deorbit: the four articles that mention deorbiting, not the fifth" \
    test "$(hits | sort | tr '\n' ' ')" = \
    "000_d9a4be1c3b1e15b8.txt 001_37ff818fd7faee62.txt 002_99863aae14a88d0b.txt 003_007efc6446bec603.txt "
run "$SPSEARCH" --db "$db" --color=never deorbit
check "deorbit: \"De-orbiting\" is highlighted whole" \
    grep -q '\[De-orbiting\]' "$tmp/out"
for form in de-orbiting '"de orbiting"' deorbiting; do
    run "$SPSEARCH" --db "$db" --json "$form"
    check "$form finds the article that writes De-orbiting" \
        grep -q '000_d9a4be1c3b1e15b8.txt' "$tmp/out"
done

# The article about sanctions comes first.
run "$SPSEARCH" --db "$db" --json sanctions
check "sanctions: the article that discusses them at length ranks first" \
    test "$(hits | head -n 1)" = "000_d9a4be1c3b1e15b8.txt"

# Russia's with any apostrophe: straight, backtick, or none.
four="000_d9a4be1c3b1e15b8.txt 002_99863aae14a88d0b.txt 003_007efc6446bec603.txt 004_2e1e28aae998c8dd.txt "
run "$SPSEARCH" --db "$db" --json "Russia's"
check "Russia's: the four articles that write it, backtick ones included, rank first" \
    test "$(hits | head -n 4 | sort | tr '\n' ' ')" = "$four"
run "$SPSEARCH" --db "$db" --json "Russia’s"
check "Russia’s (typographic apostrophe) gives the same hits as Russia's" \
    test "$(hits | head -n 4 | sort | tr '\n' ' ')" = "$four"
run "$SPSEARCH" --db "$db" --json Russias
for f in $four; do
    check "Russias matches $f" grep -q "$f" "$tmp/out"
done

# No match: nothing on stdout, exit 1.
run "$SPSEARCH" --db "$db" zyxwvut
expect_rc 1 "a query without matches"
check "a query without matches prints nothing" test ! -s "$tmp/out"
check "a query without matches says nothing on stderr" test ! -s "$tmp/err"

# Long options may follow the query; a short one there is a word to
# exclude, as "-sanctions" is.
run "$SPSEARCH" --db "$db" -c deorbit --since 2025-08-01
check "a long option after the query is an option: one deorbit article since" \
    test "$(cat "$tmp/out")" = 1 -a ! -s "$tmp/err"
run "$SPSEARCH" --db "$db" -c deorbit --since=2025-08-01 --until=2025-08-01
check "...also written with '='" test "$(cat "$tmp/out")" = 1
run "$SPSEARCH" --db "$db" deorbit --until
expect_rc 2 "a long option after the query without its argument"
check "...says which option lacks it" \
    grep -q "^spsearch: option '--until' needs an argument" "$tmp/err"
run "$SPSEARCH" --db "$db" deorbit --sinse=2025-08-01
expect_rc 2 "a misspelt long option after the query is an error, not words"
run "$SPSEARCH" --db "$db" -l deorbit -orbit
check "a short option after the query is a word to exclude" \
    test "$(wc -l <"$tmp/out")" -lt 4
run "$SPSEARCH" --db "$db" -c -- deorbit --since=2025-08-01
check "after '--' a long option is words of the query" \
    test "$(cat "$tmp/out")" = 4

# Did you mean: only words that match nothing are corrected.
run "$SPSEARCH" --db "$db" Roskosmos
expect_rc 1 "a misspelled word alone finds nothing"
check "a misspelled word gets a suggestion from the index's words" \
    grep -q "^spsearch: did you mean: roscosmos$" "$tmp/err"
run "$SPSEARCH" --db "$db" --correct --json Roskosmos
expect_rc 0 "--correct searches the suggestion"
check "--correct: the suggestion comes first, as its own JSON object" \
    test "$(head -n 1 "$tmp/out")" = '{"suggestion":"roscosmos","corrected":true}'
check "--correct: then the hits for roscosmos" \
    test "$(hits | wc -l)" -eq 5
# The suggestion is the word closest to what was typed, as articles write
# it: not a form of the typo's own stem ("goverment" stems to "gover",
# next to "govern" of "governed"), nor a stem that is no word ("happi").
mkdir "$tmp/spell"
printf '%s\n' 'Tariffs and the government' '' \
    'The government said the tariff on steel would stay. Those governed by' \
    'the new tariffs were happy; the governor happily agreed, and happier' \
    'times were promised by the government.' >"$tmp/spell/article.txt"
run "$SPINDEX" --db "$tmp/spell-idx" "$tmp/spell"
expect_rc 0 "spindex indexes an article about tariffs"
for typo in goverment:government tarif:tariff hapy:happy happu:happy \
    'goverment tarifs:government tariffs'; do
    run "$SPSEARCH" --db "$tmp/spell-idx" "${typo%%:*}"
    check "'${typo%%:*}': did you mean '${typo#*:}'" \
        test "$(cat "$tmp/err")" = "spsearch: did you mean: ${typo#*:}"
done
for q in cross "cross-flight program" deorbitting; do
    run "$SPSEARCH" --db "$db" "$q"
    check "'$q' matches and gets no suggestion" test ! -s "$tmp/err"
done

# No passage has all the words: the articles with some of them, and a
# note that says so, on stderr and as the first JSON object.
note='spsearch: no passage matches the whole query; showing those with some of its words'
run "$SPSEARCH" --db "$db" --json "deorbit zyxwvut"
expect_rc 0 "a word that matches nothing among others: the others' hits"
check "...the four deorbit articles" test "$(hits | wc -l)" -eq 4
check "...and stderr says that they lack some of the words" \
    test "$(cat "$tmp/err")" = "$note"
check "...as does the first JSON object" \
    test "$(head -n 1 "$tmp/out")" = '{"loosened":true}'
run "$SPSEARCH" --db "$db" --json "Roskosmos nasa"
check "a suggestion and some of the words: one first JSON object says both" \
    test "$(head -n 1 "$tmp/out")" = \
    '{"suggestion":"roscosmos nasa","corrected":false,"loosened":true}'
run "$SPSEARCH" --db "$db" -c "roscosmos nasa"
check "all the words in a passage: no note" test ! -s "$tmp/err"
run "$SPSEARCH" --db "$db" --color=never '"putin duffy"'
check "a phrase no passage has whole: stderr says so" \
    test "$(cat "$tmp/err")" = "$note"
check "...and its words are highlighted one by one, where they meet" \
    grep -q '\[Duffy\] agreed to report .* Vladimir \[Putin\]' "$tmp/out"
run "$SPSEARCH" --db "$db" -c deorbit zyxwvut
check "-c of some of the words: their count, and the note" \
    test "$(cat "$tmp/out")" = 4 -a "$(cat "$tmp/err")" = "$note"
run "$SPSEARCH" --db "$db" -q -c deorbit zyxwvut
check "-q: the count, and no note on stderr (a cron job's mail)" \
    test "$(cat "$tmp/out")" = 4 -a ! -s "$tmp/err"
run "$SPSEARCH" --db "$db" --quiet Roskosmos
check "--quiet: no spelling suggestion either" test ! -s "$tmp/err"
run "$SPSEARCH" --db "$tmp/none" -q deorbit
check "-q: errors are still printed" test -s "$tmp/err"

# JSON Lines: every field, one object per line.
run "$SPSEARCH" --db "$db" --json "cross-flight program"
golden cross-flight.json "--json: the documented fields, one object per line"
if command -v python3 >/dev/null 2>&1; then
    check "--json: valid JSON, passage.text is the file's bytes start..end, highlights inside it" \
        python3 -c '
import json, sys
for line in open(sys.argv[1], encoding="utf-8"):
    o = json.loads(line)
    t = o["passage"]["text"].encode("utf-8")
    start, end = o["passage"]["start"], o["passage"]["end"]
    assert open(o["path"], "rb").read()[start:end] == t, "passage bytes"
    for s, e in o["highlights"]:
        assert 0 <= s < e <= len(t)
' "$tmp/out"
else
    ok "# SKIP python3 not installed"
fi

# Paging and limits.
run "$SPSEARCH" --db "$db" --json --limit 2 space
check "--limit 2 shows two articles" test "$(wc -l <"$tmp/out")" -eq 2
run "$SPSEARCH" --db "$db" --json --offset 4 space
check "--offset 4 starts at rank 5" grep -q '^{"rank":5,' "$tmp/out"

# Fields and dates.
run "$SPSEARCH" --db "$db" -l 'title:"space diplomacy"'
check "title: searches titles only" \
    test "$(sed 's|.*/||' "$tmp/out" | sort | tr '\n' ' ')" = \
    "000_d9a4be1c3b1e15b8.txt 001_37ff818fd7faee62.txt "
run "$SPSEARCH" --db "$db" -l 'title:cosmo*'
check "title:cosmo*: only the article with Cosmos in its title" \
    test "$(sed 's|.*/||' "$tmp/out")" = 001_37ff818fd7faee62.txt
run "$SPSEARCH" --db "$db" -l 'space -title:cosmo*'
check "-title:cosmo* excludes that article only" \
    test "$(wc -l <"$tmp/out")" -eq 4 -a -z "$(grep 001_37ff818fd7faee62 "$tmp/out")"
run "$SPSEARCH" --db "$db" -l date:2025-07-31
check "date:2025-07-31 finds the articles of that day" \
    test "$(sed 's|.*/||' "$tmp/out" | sort | tr '\n' ' ')" = \
    "001_37ff818fd7faee62.txt 002_99863aae14a88d0b.txt "
run "$SPSEARCH" --db "$db" -l Date:2025-07-31
check "Date: in capitals is the date field too" \
    test "$(sed 's|.*/||' "$tmp/out" | sort | tr '\n' ' ')" = \
    "001_37ff818fd7faee62.txt 002_99863aae14a88d0b.txt "
run "$SPSEARCH" --db "$db" -c Title:Roscosmos
check "...as is Title:" test "$(cat "$tmp/out")" = 3
run "$SPSEARCH" --db "$db" -l 'space date:2025-08'
check "a word and date:2025-08" \
    test "$(sed 's|.*/||' "$tmp/out" | sort | tr '\n' ' ')" = \
    "000_d9a4be1c3b1e15b8.txt 004_2e1e28aae998c8dd.txt "
run "$SPSEARCH" --db "$db" -l 'space date:..2025-07'
check "an open date range" \
    test "$(sed 's|.*/||' "$tmp/out" | sort | tr '\n' ' ')" = \
    "001_37ff818fd7faee62.txt 002_99863aae14a88d0b.txt "
run "$SPSEARCH" --db "$db" -l 'deorbit -year:2025'
check "-year:2025 leaves the undated article" \
    test "$(sed 's|.*/||' "$tmp/out")" = "003_007efc6446bec603.txt"
run "$SPSEARCH" --db "$db" -l --since 2025-08-01 space
check "--since 2025-08-01" \
    test "$(sed 's|.*/||' "$tmp/out" | sort | tr '\n' ' ')" = \
    "000_d9a4be1c3b1e15b8.txt 004_2e1e28aae998c8dd.txt "
run "$SPSEARCH" --db "$db" --json --sort oldest space
check "--sort oldest puts July before August" \
    test "$(hits | head -n 2 | sort | tr '\n' ' ')" = \
    "001_37ff818fd7faee62.txt 002_99863aae14a88d0b.txt "
run "$SPSEARCH" --db "$db" --json space
check "by relevance, a July article comes first for space" \
    test "$(hits | head -n 1)" = "002_99863aae14a88d0b.txt"
run "$SPSEARCH" --db "$db" --json --recent 1 space
check "--recent 1: the August articles come first, then July, then undated" \
    test "$(hits | tr '\n' ' ')" = \
    "004_2e1e28aae998c8dd.txt 000_d9a4be1c3b1e15b8.txt 002_99863aae14a88d0b.txt 001_37ff818fd7faee62.txt 003_007efc6446bec603.txt "
run "$SPSEARCH" --db "$db" --json --recent 1 --offset 2 -n 2 space
check "--recent with paging: ranks 3 and 4 of the same order" \
    test "$(hits | tr '\n' ' ')" = \
    "002_99863aae14a88d0b.txt 001_37ff818fd7faee62.txt "
run "$SPSEARCH" --db "$db" 'space date:2025-13'
expect_rc 2 "a malformed date"
check "a malformed date: the message points at its column" \
    grep -q "^spsearch: query, column 12: date: wants" "$tmp/err"
run "$SPSEARCH" --db "$db" 'space date:2025-08..2025-07'
expect_rc 2 "a date range written backwards"
check "a date range written backwards: said so, at its column" \
    grep -q "^spsearch: query, column 12: date: the range '2025-08..2025-07' ends before it starts" "$tmp/err"
run "$SPSEARCH" --db "$db" --since 2025-08 --until 2025-07 space
expect_rc 2 "--since after --until"
check "--since after --until: said so" \
    grep -q "^spsearch: --since 2025-08 is after --until 2025-07" "$tmp/err"
run "$SPSEARCH" --db "$db" -c --since 2025-07-31 --until 2025-07 space
check "--since and --until in one month: its articles" test "$(cat "$tmp/out")" = 2

# An excluded word excludes the whole article, not only the passage.
run "$SPSEARCH" --db "$db" -l 'roscosmos -diplomacy'
check "-diplomacy leaves out every article that mentions diplomacy" \
    test "$(sed 's|.*/||' "$tmp/out" | sort | tr '\n' ' ')" = \
    "002_99863aae14a88d0b.txt 004_2e1e28aae998c8dd.txt "

# Synonyms: acronyms the articles define, both ways.
run "$SPSEARCH" --db "$db" --color=never '"International Space Station"'
check "\"International Space Station\" also finds and highlights ISS" \
    grep -q '\[ISS\]' "$tmp/out"
run "$SPSEARCH" --db "$db" --color=never ISS
check "ISS also finds and highlights International Space Station" \
    grep -q '\[International Space Station\]' "$tmp/out"
run "$SPSEARCH" --db "$db" --explain ISS
check "--explain shows the synonym's terms" grep -q "matched .*station" "$tmp/out"
printf '# our own words\nembargo = sanctions\n' >"$tmp/synonyms"
run "$SPINDEX" --db "$db" --synonyms "$tmp/synonyms"
expect_rc 0 "spindex --synonyms FILE"
run "$SPSEARCH" --db "$db" --json embargo
check "a synonym from the file finds the article about sanctions first" \
    test "$(hits | head -n 1)" = "000_d9a4be1c3b1e15b8.txt"
printf 'embargo\n' >"$tmp/bad-synonyms"
run "$SPINDEX" --db "$db" --synonyms "$tmp/bad-synonyms"
expect_rc 2 "a synonym file with a bad line"
check "a bad synonym line is named with file and line" \
    grep -q "bad-synonyms:1: " "$tmp/err"

# NEAR: words within some distance of each other, in any order.
run "$SPSEARCH" --db "$db" -l 'sanctions NEAR/3 pressure'
check "sanctions NEAR/3 pressure finds \"the sanctions pressure\"" \
    test "$(sed 's|.*/||' "$tmp/out")" = "000_d9a4be1c3b1e15b8.txt"
run "$SPSEARCH" --db "$db" -l 'pressure NEAR/1 moon'
expect_rc 1 "words that are never close find nothing"

# Passages: several per article, or flat across articles.
run "$SPSEARCH" --db "$db" --json --per-article 2 deorbit
check "--per-article 2: the article with two deorbiting passages shows both" \
    test "$(hits | grep -c 003_007efc6446bec603.txt)" -eq 2
check "--per-article 2: its two passages share its rank" \
    test "$(grep 003_007efc6446bec603 "$tmp/out" | sed 's/^{"rank":\([0-9]*\),.*/\1/' | sort -u | wc -l)" -eq 1
run "$SPSEARCH" --db "$db" --json --passages deorbit
check "--passages: the six deorbiting passages of four articles, ranked flat" \
    test "$(hits | wc -l)" -eq 6 -a "$(hits | sort -u | wc -l)" -eq 4
run "$SPSEARCH" --db "$db" --explain "cross-flight program"
check "--explain: says which terms matched and the passage's score" \
    grep -q "why: score .* matched .*program x" "$tmp/out"

# word* weighs titles as the word does, and --explain names what it matched.
run "$SPSEARCH" --db "$db" -l -n 3 'space*'
cp "$tmp/out" "$tmp/wild"
run "$SPSEARCH" --db "$db" -l -n 3 space
check "space*: the same three articles first as space (titles count)" \
    cmp -s "$tmp/wild" "$tmp/out"
run "$SPSEARCH" --db "$db" -c 'diplomati*'
check "diplomati*: the five articles that have diplomatic (its stem is diplomat)" \
    test "$(cat "$tmp/out")" = 5
run "$SPSEARCH" --db "$db" --color=never -n 1 'diplomati*'
check "diplomati*: diplomatic is highlighted" grep -q '\[diplomatic\]' "$tmp/out"
run "$SPSEARCH" --db "$db" --explain -n 1 'cosmo*'
check "--explain lists the words a word* matched, in the text and the title" \
    grep -q "why: .*matched cosmos x1 (of a word\*), title cosmos x1 (of a word\*)$" "$tmp/out"
"$SPINDEX" --db "$db" --compact="$tmp/wild-compact" >/dev/null
run "$SPSEARCH" --db "$tmp/wild-compact" --explain -n 1 'cosmo* NASA'
check "...with the other words, also on a compacted copy" \
    grep -q "why: .*matched .*nasa x[0-9]* (up to [0-9.]*).*cosmos x1 (of a word\*)" "$tmp/out"

# Other outputs: paths, a count, a template.
run "$SPSEARCH" --db "$db" -l deorbit
check "-l prints the four paths, one per line" \
    test "$(sed 's|.*/||' "$tmp/out" | sort | tr '\n' ' ')" = \
    "000_d9a4be1c3b1e15b8.txt 001_37ff818fd7faee62.txt 002_99863aae14a88d0b.txt 003_007efc6446bec603.txt "
# -l0 for xargs -0: a path with a newline in it comes out whole.
odd="$tmp/odd
name"
mkdir -p "$odd"
printf 'Zirconium talks\n\nThe zirconium summit opened.\n' >"$odd/z.txt"
run "$SPINDEX" --db "$tmp/odd-idx" "$odd"
expect_rc 0 "spindex indexes a folder whose name has a newline"
"$SPSEARCH" --db "$tmp/odd-idx" -l0 zirconium >"$tmp/nul" 2>"$tmp/err"
check "-l0 prints the path as it is, ended by a NUL byte" \
    test "$(xargs -0 -n1 dirname <"$tmp/nul")" = "$odd"
check "-l0: one NUL byte, no newline after it" \
    test "$(tr -cd '\000' <"$tmp/nul" | wc -c)" -eq 1 -a \
    "$(tail -c1 "$tmp/nul" | od -An -c | tr -d ' ')" = '\0'
run "$SPSEARCH" --db "$db" --null deorbit
expect_rc 2 "--null without --files is refused"
run "$SPSEARCH" --db "$db" -c deorbit
check "-c counts the four articles" test "$(cat "$tmp/out")" = 4
# An excluded word excludes an article that has it in any passage.
for q in 'space -diplomatic' 'space -cosmo*' 'deorbit -sanctions'; do
    run "$SPSEARCH" --db "$db" -l -n 100 "$q"
    listed=$(wc -l <"$tmp/out")
    run "$SPSEARCH" --db "$db" -c "$q"
    check "-c '$q' counts the $listed articles listed" \
        test "$(cat "$tmp/out")" = "$listed"
done
check "-c 'space -cosmo*' counts the two articles without cosmos, cosmonauts" \
    test "$("$SPSEARCH" --db "$db" -c 'space -cosmo*')" = 2
run "$SPSEARCH" --db "$db" -c zyxwvut
expect_rc 1 "-c with no match"
check "-c with no match prints 0" test "$(cat "$tmp/out")" = 0
run "$SPSEARCH" --db "$db" --format '%r|%d|%p\n' sanctions
check "--format fills the template" \
    grep -q "^1|2025-08-01|$CORPUS/000_d9a4be1c3b1e15b8.txt$" "$tmp/out"
run "$SPSEARCH" --db "$db" --json -l x
expect_rc 2 "--json and -l together are refused"

# On a terminal, lines wrap to its width.
if command -v script >/dev/null 2>&1; then
    script -qc "stty cols 60; '$SPSEARCH' --db '$db' --color=never sanctions" \
        /dev/null >"$tmp/tty" 2>&1 || true
    # A path is one word and may be longer; every other line must fit.
    check "on a 60-column terminal no line of text is longer than 60 columns" \
        test "$(tr -d '\r' <"$tmp/tty" | grep -v "$CORPUS" | awk '{ if (length($0) > m) m = length($0) } END { print m + 0 }')" -le 60
    check "on a 60-column terminal the passage is wrapped, not cut" \
        test "$(tr -d '\r' <"$tmp/tty" | grep -c '^   ')" -gt 3
else
    ok "# SKIP script(1) not installed"
fi

# Colour only when asked or on a terminal.
run "$SPSEARCH" --db "$db" --color=always sanctions
check "--color=always colours the highlights" grep -q "$(printf '\033')\[1;31m" "$tmp/out"
run "$SPSEARCH" --db "$db" sanctions
check "no colour when stdout is not a terminal" \
    sh -c "! grep -q \"$(printf '\033')\" '$tmp/out'"

# Stopwords and punctuation inside phrases.
run "$SPSEARCH" --db "$db" --json '"Space, the final frontier"'
check "a phrase with a stopword and a comma" \
    test "$(hits)" = "000_d9a4be1c3b1e15b8.txt"
run "$SPSEARCH" --db "$db" --json "the who"
expect_rc 0 "a query made only of stopwords finds matches"

# Dates relative to today, for cron: today, yesterday, Nd, Nw.
mkdir -p "$tmp/recent"
printf 'Fresh\n%s\n\nA heron at the dock.\n' "$(date +%Y-%m-%d)" \
    >"$tmp/recent/new.txt"
printf 'Stale\n%s\n\nA heron at the mill.\n' \
    "$(date -d '10 days ago' +%Y-%m-%d)" >"$tmp/recent/old.txt"
run "$SPINDEX" --db "$tmp/recent-idx" "$tmp/recent"
for since in today yesterday 7d 1w; do
    run "$SPSEARCH" --db "$tmp/recent-idx" -l --since "$since" heron
    check "--since $since: today's article only" \
        test "$(sed 's|.*/||' "$tmp/out")" = new.txt
done
run "$SPSEARCH" --db "$tmp/recent-idx" -l --since 2w --until 1w heron
check "--since 2w --until 1w: the article of ten days ago only" \
    test "$(sed 's|.*/||' "$tmp/out")" = old.txt
run "$SPSEARCH" --db "$tmp/recent-idx" -l --since 7x heron
expect_rc 2 "--since 7x is a usage error"
run "$SPSEARCH" --db "$tmp/recent-idx" -l 'heron date:7d..'
check "date:7d.. in the query: today's article only" \
    test "$(sed 's|.*/||' "$tmp/out")" = new.txt
run "$SPSEARCH" --db "$tmp/recent-idx" -l 'heron -date:today'
check "-date:today: the older article only" \
    test "$(sed 's|.*/||' "$tmp/out")" = old.txt
run "$SPSEARCH" --db "$tmp/recent-idx" 'heron year:100d'
expect_rc 2 "year:100d is a bad query: year: takes a year"
check "...and the message says what year: wants" \
    grep -q "^spsearch: query, column 12: year: wants YYYY, not '100d'$" \
    "$tmp/err"

# A long passage is shown where the query's words meet, not around the
# first of them.
mkdir -p "$tmp/meet"
{
    printf 'Trade notes\n\nThe tariff came first on the agenda.'
    for i in 1 2 3 4 5 6 7 8; do
        printf ' Delegates then spoke at length of harbours, grain and shipping routes, item %s.' "$i"
    done
    printf ' Late that night the economy and the tariff were argued together.\n'
} >"$tmp/meet/a.txt"
run "$SPINDEX" --db "$tmp/meet-idx" "$tmp/meet"
run "$SPSEARCH" --db "$tmp/meet-idx" --color=never "economy tariff"
check "a long passage is shown where its highlighted words meet" \
    grep -q '\[economy\] and the \[tariff\] were argued' "$tmp/out"
check "...cut before the first one, with an ellipsis" \
    grep -q '^   \.\.\.' "$tmp/out"

# One article whose every passage outranks the others' only one: the page
# still holds distinct articles, the strong one first, each once, and the
# estimate counts articles, not passages.
mkdir -p "$tmp/zebras"
{
    echo "Zebra week"
    i=0
    while [ $i -lt 30 ]; do
        echo
        echo "Zebras, zebras and more zebras: zebra herd number $i crossed."
        i=$((i + 1))
    done
} >"$tmp/zebras/strong.txt"
i=0
while [ $i -lt 12 ]; do
    printf 'Savanna notes %s\n\nA long report on the savanna, its grass, its rivers, its birds and its weather, which also saw one zebra near the road on day %s.\n' \
        "$i" "$i" >"$tmp/zebras/weak$i.txt"
    i=$((i + 1))
done
run "$SPINDEX" --db "$tmp/zebra-idx" "$tmp/zebras"
run "$SPSEARCH" --db "$tmp/zebra-idx" --json --limit 5 zebra
check "a page of 5: five distinct articles" \
    test "$(hits | sort -u | wc -l)" -eq 5 -a "$(hits | wc -l)" -eq 5
check "a page of 5: the article with 30 zebra passages first" \
    test "$(hits | head -1)" = "strong.txt"
hits | sort >"$tmp/page1"
run "$SPSEARCH" --db "$tmp/zebra-idx" --json --offset 5 --limit 5 zebra
hits | sort >"$tmp/page2"
check "the next page: five more, none of the first page's" \
    test "$(sort -u "$tmp/page1" "$tmp/page2" | wc -l)" -eq 10
run "$SPSEARCH" --db "$tmp/zebra-idx" -c zebra
check "--count: 13 articles match, not 42 passages" test "$(cat "$tmp/out")" = 13

# A word and its exact form are two overlapping posting lists, where
# Xapian's estimate is a rounded guess even when every match was checked:
# --count must still be the count.
mkdir "$tmp/treaties"
for i in $(seq 1 37); do
    printf 'Article %d\n\nThe treaty was signed in spring number %d.\n' \
        "$i" "$i" >"$tmp/treaties/a$i.txt"
done
for i in $(seq 1 41); do
    printf 'Other %d\n\nSeveral treaties were discussed at meeting %d.\n' \
        "$i" "$i" >"$tmp/treaties/b$i.txt"
done
for i in $(seq 1 50); do
    printf 'Filler %d\n\nNothing about agreements here, item %d.\n' \
        "$i" "$i" >"$tmp/treaties/f$i.txt"
done
"$SPINDEX" -q --db "$tmp/treaties-idx" "$tmp/treaties"
run "$SPSEARCH" --db "$tmp/treaties-idx" -c treaty
check "--count treaty: the 78 articles with treaty or treaties" \
    test "$(cat "$tmp/out")" = 78
run "$SPSEARCH" --db "$tmp/treaties-idx" -c =treaty
check "--count =treaty: the 37 with the exact form" \
    test "$(cat "$tmp/out")" = 37

finish
