# Latency CDFs of one point, before vs after: zapbench plot cdf BEFORE AFTER.
# Data: two blocks of "latency fraction<=latency", thinned to <= 2000 steps.
load scripts . '/common.gp'
set ylabel 'fraction of samples ≤ latency'
set yrange [0:1.02]
set ytics 0.1
set autoscale xfix
set key bottom right
# The median and the p99, where regression reports look.
set arrow from graph 0, first 0.5 to graph 1, first 0.5 nohead lc rgb '#a0a0a0' dt 3
set arrow from graph 0, first 0.99 to graph 1, first 0.99 nohead lc rgb '#a0a0a0' dt 3
plot for [i=1:2] data index (i - 1) using 1:2 with steps lt i lw 2 title label[i]
