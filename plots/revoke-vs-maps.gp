# Revoke latency vs the number of mappings of the revoked page, log-log:
# one line per trigger and populate mode, 95 % CI bars, and the fit
# a + b * maps (dashed; relative errors, see harness/report/plot_scaling.c) whose
# b, the cost per mapping, is in the legend.
# zapbench plot maps RECORD writes the data (blocks 0..n-1: x median lo hi;
# blocks n..2n-1: the fitted lines) and the variables.
load scripts . '/common.gp'
set logscale x 10
set format x '%.0f'
set key top left
set offsets graph 0.03, graph 0.03, 0, 0
plot for [i=1:n] data index (i - 1) using 1:2:3:4 with yerrorlines lt i title label[i], \
     for [i=1:(fitted ? n : 0)] data index (n + i - 1) using 1:2 with lines lt i dt 2 lw 1 \
	notitle
