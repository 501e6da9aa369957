# Written by zapbench for plots/*.gp; the data is changes.dat
data = '/tmp/ab2/plots/data/changes.dat'
subtitle = ''
title = 'zapbench ab: the change at every gated point'
subtitle = 'new 6.1.192-zb-v3 vs base 6.1.192-zb, 20 paired rounds'
machine = 'qemu-tcg guest, 2 vCPUs, 1 GiB, clocksource hpet, on vm: AMD EPYC, 2 CPUs, 24 GiB, bhyve, clocksource' . "\n" . 'kvm-clock'
threshold = 5
clip = 100
n = 34
xmax = 100
