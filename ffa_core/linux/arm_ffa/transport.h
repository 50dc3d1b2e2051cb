// ffa_transport_init (drivers/firmware/arm_ffa/smccc.c): refuse SMCCC < 1.2 and a NONE conduit,
// then pick arm_smccc_1_2_smc or _hvc once; the protocol code never says SMC or HVC again.
#pragma once

#include "emu/smccc.h"
#include "ffa_core/linux/printk.h"
#include "ffa_core/linux/smccc/psci.h"

namespace ffaemu::lnx {

// 0 with `invoke` set, or -EOPNOTSUPP.
int ffa_transport_init(const Smccc& smccc, const Conduits& conduits, Printk& printk,
                       emu::Conduit*& invoke);

}  // namespace ffaemu::lnx
