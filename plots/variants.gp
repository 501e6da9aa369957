# Variant comparison: one dot per value of the --by parameter with its 95 %
# CI whiskers, a row per cluster of the other parameters; the latency axis
# is log when the values span decades.  zapbench plot bars --by PARAM.
# Data: one row per cluster: "label" (also rowlabel[k]) then "median lo hi below" per value
# (median lo hi NaN and below = the floor where it is at or under it).
load scripts . '/common.gp'
set yrange [rows - 0.5:-0.5]
set ytics nomirror font ',10' ()
do for [k=1:rows] { set ytics add (rowlabel[k] k - 1) }
set grid xtics mxtics noytics
set key outside right top
if (floor > 0) {
	set object 1 rect from graph 0, graph 0 to first floor, graph 1 behind \
		fc rgb floorc fs solid 1.0 noborder
	if (xlog) { set xrange [floor / 3:*] } else { set xrange [0:*] }
} else {
	if (!xlog) { set xrange [0:*] }
}
set offsets 0, graph 0.05, 0, 0
dodge(i) = (i - (n + 1) / 2.0) * 0.6 / n
plot for [i=1:n] data using (column(4 * i - 2)):($0 + dodge(i)):(column(4 * i - 1)): \
	(column(4 * i)) with xerrorbars lt i notitle, \
     for [i=1:n] data using (column(4 * i + 1)):($0 + dodge(i)) with points lt i \
	pt hollow(i) notitle, \
     for [i=1:n] keyentry with xerrorbars lt i title label[i], \
     for [j=1:(floor > 0)] keyentry with boxes fc rgb floorc fs solid 1.0 noborder \
	title floorlabel
