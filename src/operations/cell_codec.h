// Cell codecs: find the encrypted values inside one stored cell and rebuild the cell with each
// value replaced. One codec per CellKind; the storage encodings themselves come from
// crypto/storage_encoding.h.
#pragma once

#include <functional>
#include <string>
#include <string_view>

#include "common/secret_bytes.h"
#include "common/status.h"
#include "operations/secret_column.h"

namespace md::operations {

// Called with each encrypted value (the blob, storage encoding removed); returns its replacement.
using BlobRewriter = std::function<Result<Bytes>(ByteView blob)>;

struct RewrittenCell {
  std::string cell;
  int values = 0;  // how many encrypted values the cell held (0: nothing to do)
};

// Rewrites every encrypted value of a cell. The row fails as a whole on a cell that cannot be
// parsed or on the first value `rewrite` fails (Grafana's per-row semantics, §4.3); the error
// names the JSON key or path, never a value.
Result<RewrittenCell> RewriteCell(CellKind kind, std::string_view cell, const BlobRewriter& rewrite);

}  // namespace md::operations
