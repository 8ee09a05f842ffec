# The shared analyzer seen from the command line: what a user pastes from
# an article finds that article.
. "$top_srcdir/tests/e2e/lib.sh"

c="$tmp/corpus"
mkdir "$c"
printf 'Bank opens in Zürich\n\nThe bank opened an office in Zürich on Monday.\n' >"$c/zurich-accent.txt"
printf 'Rail strike\n\nTrains to Zurich were cancelled on Tuesday.\n' >"$c/zurich-plain.txt"
printf 'Trade talks\n\nU.S. officials met their counterparts for two days of talks.\n' >"$c/us-officials.txt"
printf 'Letters\n\nTell us what you think; write to us at the usual address.\n' >"$c/tell-us.txt"
printf '学生新闻\n\n我们在北京大学学习中文。\n' >"$c/chinese.txt"
printf 'Новости космоса\n\nКосмонавты вернулись на Землю после полугода на станции.\n' >"$c/russian.txt"
printf 'Markets\n\nAt 2:40 PM the index was up 7.5 percent; 1,200 workers joined in 2025.\n' >"$c/numbers.txt"
printf 'Ratings\n\nThe resume of the résumé writer was praised.\n' >"$c/resume.txt"

run "$SPINDEX" --db "$tmp/idx" "$c"
expect_rc 0 "index the analyzer fixtures"

# search QUERY FILE...: the hits, by file name, are exactly FILE...
search() {
    q=$1
    shift
    run "$SPSEARCH" --db "$tmp/idx" --json "$q"
    want=$(printf '%s\n' "$@" | sort | tr '\n' ' ')
    got=$(hits | sort | tr '\n' ' ')
    if [ "$got" = "$want" ]; then
        ok "'$q' finds $*"
    else
        not_ok "'$q' finds $* (got: $got)"
    fi
}

search Zurich zurich-accent.txt zurich-plain.txt
search Zürich zurich-accent.txt zurich-plain.txt
search ZÜRICH zurich-accent.txt zurich-plain.txt
search 北京 chinese.txt
search 大学 chinese.txt
search космонавтов russian.txt
search Космонавты russian.txt
search 2:40 numbers.txt
search 7.5 numbers.txt
search 1,200 numbers.txt
search 2025 numbers.txt

run "$SPSEARCH" --db "$tmp/idx" --json U.S.
check "'U.S.' ranks the article about U.S. officials above 'tell us'" \
    test "$(hits | head -n 1)" = us-officials.txt
run "$SPSEARCH" --db "$tmp/idx" --json US
check "'US' ranks the article about U.S. officials first too" \
    test "$(hits | head -n 1)" = us-officials.txt

# =word: the exact form only.
search =résumé resume.txt
run "$SPSEARCH" --db "$tmp/idx" --color=never =résumé
check "=résumé highlights only the accented word" \
    grep -q 'The resume of the \[résumé\] writer' "$tmp/out"

# --analyze shows the terms.
run "$SPSEARCH" --analyze 'Russia`s De-orbiting U.S.'
expect_rc 0 "--analyze"
check "--analyze: a backtick possessive is one word with the stem russia" \
    grep -q "^1	0-8	Russia\`s	russia	russia's	$" "$tmp/out"
check "--analyze: De-orbiting gives its joined form deorbit" \
    grep -q "^2	9-20	De-orbiting	deorbit	deorbiting	joined $" "$tmp/out"
check "--analyze: U.S. is an acronym searched as us" \
    grep -q "^4	21-25	U.S.	us	u.s	acronym $" "$tmp/out"

finish
