// The guest the trace examples in docs/trace.md run: FFA_VERSION through smc, then a store and a
// load of the answer in the data region, so every kind of trace record appears.
	.text
	.globl	_start
_start:
	ldr	w0, =0x84000063		// FFA_VERSION
	ldr	w1, =0x10002		// requesting v1.2
	smc	#0
	add	x1, x0, #2
	ldr	x2, =0x40100400		// scratch in the data region
	str	x1, [x2]
	ldr	x3, [x2]
	ret
