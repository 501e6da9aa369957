# Variant comparison: one bar per value of the --by parameter, clustered by
# the other parameters, 95 % CI whiskers.  zapbench plot bars --by PARAM.
# Data: one row per cluster: "label" then median lo hi for each value.
load scripts . '/common.gp'
set style data histograms
set style histogram errorbars gap 2 lw 1.5
set style fill solid 0.85 border rgb '#404040'
set boxwidth 0.9
set xtics rotate by -25 left nomirror
set grid noxtics nomxtics
set key top left
# Room for the last rotated cluster label.
set rmargin 12
if (!ylog) { set yrange [0:*] }
plot for [i=1:n] data using (column(3 * i - 1)):(column(3 * i)):(column(3 * i + 1)):xtic(1) \
	lt i title label[i]
