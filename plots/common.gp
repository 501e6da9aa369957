# Shared by every zapbench figure: terminal, fonts, colours, title, axes.
# zapbench sets before this: fmt ('png' or 'svg'), out (the image), scripts
# (this directory), and through data/<figure>.vars.gp: data, title,
# subtitle, machine, xlabel/ylabel, xlog/ylog and the figure's own variables.
set encoding utf8
if (fmt eq 'svg') {
	set terminal svg size 1000,620 font 'DejaVu Sans,12' background rgb 'white'
} else {
	set terminal pngcairo size 1200,744 font 'DejaVu Sans,12' background rgb 'white'
}
set output out
# Labels are case and parameter names: '_' and '^' must stay as they are.
set termoption noenhanced
set title title . (subtitle ne '' ? "\n" . subtitle : '') . "\n" . machine font ',12'
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
# Colour-blind safe (Okabe-Ito), then the same with squares and dashes.
colours = '#0072B2 #D55E00 #009E73 #CC79A7 #E69F00 #56B4E9 #000000 #F0E442'
do for [i=1:8] {
	set linetype i lc rgb word(colours, i) lw 2 pt 7 ps 1.2 dt 1
	set linetype i + 8 lc rgb word(colours, i) lw 2 pt 5 ps 1.2 dt 2
}
set linetype cycle 16
