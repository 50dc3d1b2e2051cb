// The bundled first guest: asks the firmware for its SMCCC version, then negotiates FF-A v1.2,
// both through `smc`, as Linux's PSCI/SMCCC discovery and arm_ffa driver do. Results stay in x20
// and x21 for the host to read; the guest then returns to the exit address in x30.

	.text
	.globl	_start
_start:
	mov	x0, #0x80000000		// SMCCC_VERSION
	smc	#0
	mov	x20, x0
	ldr	w0, =0x84000063		// FFA_VERSION
	ldr	w1, =0x10002		// requesting v1.2
	smc	#0
	mov	x21, x0
	ret
