# Latency vs the number of CPUs doing the operation at once (fault, open):
# one line per kind/target, 95 % CI bars.  Data: blocks of x median lo hi.
load scripts . '/common.gp'
set xtics 1
if (!ylog) { set yrange [0:*] }
set key outside right top
set offsets graph 0.05, graph 0.05, graph 0.05, 0
plot for [i=1:n] data index (i - 1) using 1:2:3:4 with yerrorlines lt i title label[i]
