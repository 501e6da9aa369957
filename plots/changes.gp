# A comparison: per gated point, the estimated change (%) and its adjusted
# interval, the +-threshold band shaded, colour by verdict.  zapbench ab
# writes it as DIR/plots/changes.png.  Data: "name" change lo hi verdict
# (0 no change, 1 regressed, 2 improved, 3 inconclusive).
load scripts . '/common.gp'
# one row per point: the figure grows with them
if (fmt eq 'svg') {
	set terminal svg size 1000,(220 + 16 * n) font 'DejaVu Sans,10' background rgb 'white'
} else {
	set terminal pngcairo size 1200,(260 + 18 * n) font 'DejaVu Sans,10' background rgb 'white'
}
set output out
set termoption noenhanced
# Long point names push the plot right: centre the title on the figure.
unset title
set label 98 fulltitle at screen 0.5, screen 1 center offset 0, -1.2 \
	front font ',12'
set tmargin (lines(fulltitle) + 1.5)
set xlabel sprintf("change, %% (estimate and adjusted interval; band: +-%g%%)\n" . \
	"green: no change   red: regressed   blue: improved   grey: inconclusive", threshold)
set xrange [-xmax:xmax]
set yrange [n:-1]
set ytics font ',8'
set grid xtics noytics
unset key
set object 1 rect from -threshold, graph 0 to threshold, graph 1 behind \
	fc rgb '#e8f0e8' fs solid 1.0 noborder
set arrow 1 from 0, graph 0 to 0, graph 1 nohead lc rgb '#808080' dt 2
vc(v) = v == 0 ? 0x009E73 : v == 1 ? 0xD55E00 : v == 2 ? 0x0072B2 : 0x808080
plot data using 2:0:3:4:(vc($5)):ytic(1) with xerrorbars lc rgb variable pt 7 ps 0.8
