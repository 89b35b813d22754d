// SPDX-License-Identifier: GPL-3.0-or-later
// The topology table (TopologyInfo, topologies(), topologyInfo(), initialGamma()). It lives in
// analysis/core/topology.h, beside Arch, so the weight loader (which may include only core) can
// read it too; this header is where the model's users find it.
#pragma once

#include "analysis/core/topology.h"
