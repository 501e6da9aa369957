# Revoke latency vs the number of mappings of the revoked page, log-log:
# one line per trigger and populate mode, 95 % CI bars, and the fit
# a + b * maps (dashed; relative errors, see harness/report/plot_scaling.c)
# only where it fits: the series monotone within its CIs and r² at least
# the threshold the note states; the legend gives b, or why there is no fit.
# zapbench plot maps RECORD writes the data (blocks 0..n-1: x median lo hi
# below; then one block per fitted line, of lt fitlt[k]) and the variables.
load scripts . '/common.gp'
set logscale x 10
set format x '%.0f'
set key top left
set offsets graph 0.03, graph 0.03, 0, 0
if (floor > 0) {
	set object 1 rect from graph 0, graph 0 to graph 1, first floor behind \
		fc rgb floorc fs solid 1.0 noborder
	if (ylog) { set yrange [floor / 3:*] } else { set yrange [0:*] }
}
plot for [i=1:n] data index (i - 1) using 1:2:3:4 with yerrorlines lt i notitle, \
     for [i=1:n] data index (i - 1) using 1:5 with points lt i pt hollow(i) notitle, \
     for [k=1:nfit] data index (n + k - 1) using 1:2 with lines lt fitlt[k] dt 2 lw 1.5 \
	notitle, \
     for [i=1:n] keyentry with yerrorlines lt i title label[i], \
     for [j=1:(floor > 0)] keyentry with boxes fc rgb floorc fs solid 1.0 noborder \
	title floorlabel
