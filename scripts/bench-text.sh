#!/bin/sh
# bench-text.sh - character-level text against its baselines (make bench;
# issue 10). The text (TEXT_FILE, default testdata/text/kjv-gospels-acts.txt.gz,
# or the whole King James Bible with TEXT_KJV=1: scripts/gen_kjv.sh --whole,
# from Debian's bible-kjv-text) is cut in three, by characters:
#   test  the last tenth: scored once, at the end, by every model;
#   dev   the tenth before it: rnn-train --text's held-out part (--val),
#         which picks the epoch whose weights are kept and drives
#         --lr-decay; nothing else looks at it;
#   train the first eight tenths.
# The best interpolated Kneser-Ney character Markov model of order 1-5
# (scripts/markov_bpc.py) and PyTorch's char-LSTM (scripts/
# bench_torch_charlstm.py, the same net and the same time on the same
# threads, its last weights) train on exactly the same train part and
# are scored on the same test part (each given train + test with the
# test part as its --val); the Markov order is the best on test, which
# favours it. Prints test bits per character and training characters/s,
# and writes the table as markdown to build/bench-text.md.
#   TEXT_SECONDS  training time of each net (default 240)
#   TEXT_THREADS  threads of each (default 2)
#   TEXT_NET      the net's options, given to both (default "--hidden 256
#                 --layers 2 --dropout 0.5 --batch 16 --lr 0.004", chosen
#                 on the dev part: README.md, "Measured"; rnn-train
#                 --text's defaults otherwise)
#   TEXT_RK       rnn-train's own (default "--lr-decay 0.5": PyTorch's
#                 script has no schedule)
#   TEXT_SEED     rnn-train's --seed (default 1)
set -eu
cd "$(dirname "$0")/.."
py=/usr/bin/python3
secs=${TEXT_SECONDS:-240}
thr=${TEXT_THREADS:-2}
net=${TEXT_NET:---hidden 256 --layers 2 --dropout 0.5 --batch 16 --lr 0.004}
seed=${TEXT_SEED:-1}
rk=${TEXT_RK---lr-decay 0.5}
tmp=$(mktemp -d "${TMPDIR:-/tmp}/rnnkit-bench-text.XXXXXX")
trap 'rm -rf "$tmp"' EXIT INT TERM
mkdir -p build
if [ "${TEXT_KJV:-0}" = 1 ]; then
	sh scripts/gen_kjv.sh --whole "$tmp/kjv.txt.gz"
	text=$tmp/kjv.txt.gz
	name="the King James Bible"
else
	text=${TEXT_FILE:-testdata/text/kjv-gospels-acts.txt.gz}
	name=$text
fi

# the split, by characters (UTF-8 code points), as markov_bpc.py and
# bench_torch_charlstm.py cut --val 0.1: test = the last floor(N / 10)
$py - "$text" "$tmp" <<'EOF'
import gzip, sys
raw = open(sys.argv[1], "rb").read()
if raw[:2] == b"\x1f\x8b":
    raw = gzip.decompress(raw)
s = raw.decode("utf-8")
n = len(s)
nt = n // 10
open(sys.argv[2] + "/trdev.txt", "w", encoding="utf-8", newline="").write(s[:n - nt])
open(sys.argv[2] + "/test.txt", "w", encoding="utf-8", newline="").write(s[n - nt:])
# train + test, for markov_bpc.py and the PyTorch script: --val cuts the
# test part off exactly (floor((n - nt) * v) = nt)
open(sys.argv[2] + "/trtest.txt", "w", encoding="utf-8", newline="").write(s[:n - 2 * nt] + s[n - nt:])
open(sys.argv[2] + "/valt", "w").write("%.9f\n" % ((nt + 0.5) / (n - nt)))
# --val for rnn-train on train + dev: a dev part as long as the test part
open(sys.argv[2] + "/val", "w").write("%.6f\n" % ((nt + 0.5) / (n - nt)))
print("%d characters: train %d, dev %d, test %d" % (n, n - 2 * nt, nt, nt))
EOF
val=$(cat "$tmp/val")
valt=$(cat "$tmp/valt")

echo "== text: $name; $net ($rk), $secs s of training on $thr threads each"
$py scripts/markov_bpc.py --val "$valt" "$tmp/trtest.txt" > "$tmp/markov.csv" 2> "$tmp/markov.err"
markov=$(sed -n 's/^best,\([0-9]*\),\(.*\)$/\2 (order \1)/p' "$tmp/markov.err")
echo "markov: $markov"

bin/rnn-train --text $net $rk --val "$val" --max-time "$secs" --epochs 1000000 \
	--threads "$thr" --seed "$seed" --log "$tmp/rk.csv" -o "$tmp/rk.gz" \
	"$tmp/trdev.txt" 2> "$tmp/rk.err"
rk_bpc=$(bin/rnn-predict -m "$tmp/rk.gz" --text --score "$tmp/test.txt" | sed -n '2s/.*,//p')
rk_dev=$(sed -n 's/^held-out: [0-9]* characters, \([0-9.]*\) bits.*/\1/p' "$tmp/rk.err")
rk_ep=$(gzip -dc "$tmp/rk.gz" | sed -n 's/^best-epoch: //p;/^$/q')
rk_cps=$(sed -n 's/^trained on .*: \([0-9]*\) characters\/s$/\1/p' "$tmp/rk.err")
echo "rnnkit: $rk_bpc bits per character (dev $rk_dev, epoch $rk_ep kept), $rk_cps characters/s"

if $py -c "import torch" 2>/dev/null; then
	$py scripts/bench_torch_charlstm.py $net --seconds "$secs" --threads "$thr" \
		--val "$valt" "$tmp/trtest.txt" > "$tmp/torch.json" 2> "$tmp/torch.err"
	t_bpc=$($py -c "import json,sys; print(json.load(open(sys.argv[1]))['bpc'])" "$tmp/torch.json")
	t_cps=$($py -c "import json,sys; print(round(json.load(open(sys.argv[1]))['train_chars_per_s']))" "$tmp/torch.json")
	tver=$($py -c "import torch; print(torch.__version__)")
	echo "pytorch $tver: $t_bpc bits per character, $t_cps characters/s"
else
	t_bpc=""; t_cps=""; tver="(not installed)"
	echo "pytorch: not installed (sudo apt-get install -y python3-torch)"
fi

awk -v m="$markov" -v rb="$rk_bpc" -v rc="$rk_cps" -v tb="$t_bpc" -v tc="$t_cps" \
    -v tv="$tver" -v s="$secs" -v th="$thr" -v ld="$(cut -d' ' -f1-3 /proc/loadavg)" 'BEGIN {
	split(m, mm, " ")
	print "| test text, " s " s on " th " threads (load " ld ") | bits per char | train chars/s |"
	print "| --- | --- | --- |"
	printf "| rnnkit rnn-train --text | %s | %s |\n", rb, rc
	if (tb != "")
		printf "| PyTorch %s, same net | %s | %s |\n", tv, tb, tc
	printf "| best Markov, order 1-5 (KN) | %s | |\n", m
	print ""
	printf "rnnkit below the Markov baseline: %s (%.4f vs %s)\n",
	       rb < mm[1] ? "yes" : "no", rb, mm[1]
	if (tb != "") {
		printf "rnnkit within 5%% of PyTorch: %s (%.4f vs %.4f)\n",
		       rb <= tb * 1.05 ? "yes" : "no", rb, tb
		printf "rnnkit characters/s / PyTorch: %.2f (target >= 3)\n", rc / tc
	}
}' | tee build/bench-text.md
