# A point's (or every point of a case's) median over runs, oldest left:
# zapbench plot history --db DB CASE, and the dashboard.  Data: one block
# per point of "x median lo hi", then the regressions and the improvements
# as two blocks of "x median".
load scripts . '/common.gp'
set xlabel 'run (date UTC, commit)'
set xrange [-0.5:nx - 0.5]
set xtics rotate by -30 left nomirror
set xtics ()
do for [k=1:nx] { set xtics add (xl[k] k - 1) }
set grid nomxtics
if (!ylog) { set yrange [0:*] }
set key outside right top
set bmargin 7
plot for [i=1:n] data index (i - 1) using 1:2:3:4 with yerrorlines lt i title label[i], \
     data index n using 1:2 with points pt 9 ps 2.6 lc rgb '#D00000' \
	title (nreg ? 'regression' : ''), \
     data index (n + 1) using 1:2 with points pt 11 ps 2.6 lc rgb '#00A000' \
	title (nimp ? 'improvement' : '')
