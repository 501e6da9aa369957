# Latency vs the number of CPUs doing the operation at once (fault, open,
# barriers): one series per kind/target, medians with 95 % CI bars.  With
# fewer than 3 CPU counts (dots = 1) the series are dots side by side, not
# lines: two points make no trend.  Data: blocks of "x median lo hi below",
# median lo hi NaN and below = the floor where the point is at or under it.
load scripts . '/common.gp'
set xtics 1
set key outside right top
if (floor > 0) {
	set object 1 rect from graph 0, graph 0 to graph 1, first floor behind \
		fc rgb floorc fs solid 1.0 noborder
	if (ylog) { set yrange [floor / 3:*] } else { set yrange [0:*] }
} else {
	if (!ylog) { set yrange [0:*] }
}
set offsets graph 0.1, graph 0.1, graph 0.05, 0
# dots: the axis spans the CPU counts drawn, with room for the side by side
if (dots) { set autoscale xfix; set offsets graph 0.4, graph 0.4, graph 0.05, 0 }
style = dots ? 'yerrorbars' : 'yerrorlines'
dodge(i) = dots ? (i - (n + 1) / 2.0) * 0.5 / (n + 1) : 0
plot for [i=1:n] data index (i - 1) using ($1 + dodge(i)):2:3:4 \
	with @style lt i notitle, \
     for [i=1:n] data index (i - 1) using ($1 + dodge(i)):5 with points lt i \
	pt hollow(i) notitle, \
     for [i=1:n] keyentry with @style lt i title label[i], \
     for [j=1:(floor > 0)] keyentry with boxes fc rgb floorc fs solid 1.0 noborder \
	title floorlabel
