#!/bin/sh
# demo-text.sh - the text part of `make demo`: an LSTM learns the King
# James Gospels and Acts (testdata/text) character by character for a
# fixed time, writes a paragraph in their manner, and is scored on the
# tenth of the text it did not see. DEMO_TEXT_SECONDS (default 30) sets
# the training time.
set -eu
cd "$(dirname "$0")/.."
PATH="${RNNKIT_BIN:-$PWD/bin}:$PATH"
tmp=$(mktemp -d "${TMPDIR:-/tmp}/rnnkit-demo-text.XXXXXX")
trap 'rm -rf "$tmp"' EXIT INT TERM
secs=${DEMO_TEXT_SECONDS:-30}
text=testdata/text/kjv-gospels-acts.txt.gz

echo "== rnn-train --text: an LSTM reads 566084 characters of the King James"
echo "   Gospels and Acts, one at a time, and learns to predict the next one"
echo "   rnn-train --text --max-time $secs --threads 2 -o kjv.gz kjv-gospels-acts.txt.gz"
rnn-train --text --max-time "$secs" --threads 2 -o "$tmp/kjv.gz" "$text" 2> "$tmp/progress"
sed 's/^/   /' "$tmp/progress"
echo
echo "== rnn-predict --generate: a paragraph, sampled at temperature 0.7"
echo "   rnn-predict -m kjv.gz --generate 400 --prime 'And Jesus said unto them, ' --temperature 0.7 --seed 1"
printf '   And Jesus said unto them, '
rnn-predict -m "$tmp/kjv.gz" --generate 400 --prime 'And Jesus said unto them, ' \
	--temperature 0.7 --seed 1 | sed '2,$s/^/   /'
echo
echo
echo "== rnn-predict --text --score: bits per character on the held-out tenth"
gzip -dc "$text" | tail -c 56608 > "$tmp/held-out.txt"
rnn-predict -m "$tmp/kjv.gz" --text --score "$tmp/held-out.txt" | sed 's/^/   /'
echo "   (the best character Markov model, order 5, scores 1.818 there:"
echo "   scripts/markov_bpc.py; make bench trains for 4 minutes)"
