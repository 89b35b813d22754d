// SPDX-License-Identifier: GPL-3.0-or-later
// Includes LibTorch (c10's exception type). The one way a weight reader reports failure.
#pragma once

#include "analysis/core/internal/boundary.h"

#include "analysis/core/types.h"
#include "analysis/weights/formats/protobuf/internal/protobuf_wire.h"

#include <c10/util/Exception.h>

#include <string>

namespace featscale::analysis::weights {

/// Runs a reader's body and turns whatever it throws into an Error that names the file once:
/// an Error gets "path: " in front (unless it starts with the path already), a ProtoError says the
/// file is a malformed or truncated `format`, a LibTorch error loses its C++ backtrace. Cancelled
/// passes through untouched.
template <typename Body>
auto rethrowWithFile(const std::string& path, const char* format, Body&& body) -> decltype(body())
{
    try {
        return body();
    } catch (const ProtoError& e) {
        throw Error(path + ": malformed or truncated " + format + ": " + e.what());
    } catch (const Cancelled&) {
        throw;
    } catch (const Error& e) {
        const std::string what = e.what();
        throw Error(what.rfind(path + ":", 0) == 0 ? what : path + ": " + what);
    } catch (const c10::Error& e) {
        throw Error(path + ": " + e.what_without_backtrace());
    }
}

} // namespace featscale::analysis::weights
