// SMCCC v1.2 call trampolines in the shape of Linux's arm_smccc_1_2_smc/_hvc
// (arch/arm64/kernel/smccc-call.S): x0 points at the argument block, x1 at the result block, each
// 18 x 8 bytes (struct arm_smccc_1_2_regs, a0-a17). x19 is saved because it holds the block
// pointer across the call; every other register above x17 is the callee's to preserve.

.macro SMCCC_1_2 instr
	stp	x1, x19, [sp, #-16]!
	mov	x19, x0
	ldp	x0, x1, [x19, #0]
	ldp	x2, x3, [x19, #16]
	ldp	x4, x5, [x19, #32]
	ldp	x6, x7, [x19, #48]
	ldp	x8, x9, [x19, #64]
	ldp	x10, x11, [x19, #80]
	ldp	x12, x13, [x19, #96]
	ldp	x14, x15, [x19, #112]
	ldp	x16, x17, [x19, #128]
	\instr	#0
	ldr	x19, [sp]
	stp	x0, x1, [x19, #0]
	stp	x2, x3, [x19, #16]
	stp	x4, x5, [x19, #32]
	stp	x6, x7, [x19, #48]
	stp	x8, x9, [x19, #64]
	stp	x10, x11, [x19, #80]
	stp	x12, x13, [x19, #96]
	stp	x14, x15, [x19, #112]
	stp	x16, x17, [x19, #128]
	ldp	xzr, x19, [sp], #16
	ret
.endm

	.text
	.globl	arm_smccc_1_2_smc
arm_smccc_1_2_smc:
	SMCCC_1_2 smc

	.globl	arm_smccc_1_2_hvc
arm_smccc_1_2_hvc:
	SMCCC_1_2 hvc
