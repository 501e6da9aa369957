# Shared by every zapbench figure: terminal, fonts, colours, title, axes.
# zapbench sets before this: fmt ('png' or 'svg'), out (the image), scripts
# (this directory), and through data/<figure>.vars.gp: data, title,
# subtitle, machine, xlabel/ylabel, xlog/ylog, optionally floor/floorlabel
# (the shaded floor) and note (a line under the plot), and the figure's own.
set encoding utf8
if (fmt eq 'svg') {
	set terminal svg size 1000,620 font 'DejaVu Sans,12' background rgb 'white'
} else {
	set terminal pngcairo size 1200,744 font 'DejaVu Sans,12' background rgb 'white'
}
set output out
# Labels are case and parameter names: '_' and '^' must stay as they are.
set termoption noenhanced
fulltitle = title . (subtitle ne '' ? "\n" . subtitle : '') . "\n" . machine
set title fulltitle font ',12'
# Lines in a string, for a figure that places its title itself.
lines(s) = strstrt(s, "\n") ? 1 + lines(s[strstrt(s, "\n") + 1:]) : 1
set grid xtics ytics mxtics mytics lc rgb '#e0e0e0' lw 1
set border lc rgb '#404040'
set key box opaque samplen 2 spacing 1.1 font ',11'
set style data lines
set datafile missing 'NaN'
# Log latency axes are in seconds: ticks read "100 µs", "10 ms".
set micro
if (exists('xlabel')) { set xlabel xlabel }
if (exists('ylabel')) { set ylabel ylabel }
if (exists('xlog') && xlog) { set logscale x 10; set format x '%.0s %cs' }
if (exists('ylog') && ylog) { set logscale y 10; set format y '%.0s %cs' }
# Colour-blind safe and at least 3:1 against white: Okabe-Ito without its
# yellow, orange and sky blue (1.3-2.3:1), then Paul Tol's indigo, wine and
# olive.  Each colour has its own marker; lines 9-16 repeat them dashed.
colours = '#0072B2 #D55E00 #009E73 #CC79A7 #000000 #332288 #882255 #999933'
# filled markers: circle, square, triangle, diamond, down-triangle, pentagon
markers = '7 5 9 13 11 15 7 5'
do for [i=1:8] {
	set linetype i lc rgb word(colours, i) lw 2 pt (word(markers, i) + 0) ps 1.3 dt 1
	set linetype i + 8 lc rgb word(colours, i) lw 2 pt (word(markers, i) + 0) ps 1.3 dt 2
}
set linetype cycle 16
# The same marker hollow: a value at or below the floor, not a measurement.
hollow(i) = word(markers, (i - 1) % 8 + 1) - 1
# A floor (timer or loop resolution) as a shaded band from the axis up to
# it: zapbench sets floor (in the data's unit, 0 for none) and floorlabel,
# and the scripts give it a keyentry in the legend.
floorc = '#d9d9d9'
if (!exists('floor')) { floor = 0 }
if (!exists('floorlabel')) { floorlabel = '' }
if (!exists('note')) { note = '' }
# A series' legend entry is a keyentry: one wholly at the floor draws no line.
if (floor > 0) {
	note = note . (note ne '' ? '; ' : '') . 'hollow: at or under the shaded floor, drawn at it'
}
if (note ne '') {
	set label 99 note at screen 0.01, screen 0.02 left font ',10' tc rgb '#404040'
	set bmargin 5
}
