// CRC-32C (Castagnoli: reflected polynomial 0x82F63B78, init and xorout 0xFFFFFFFF), which Cloud KMS
// uses for its *Crc32c integrity fields (kms-protocols.md §3.2). OpenSSL has none. Table-driven.
#pragma once

#include <cstdint>
#include <string>

#include "common/secret_bytes.h"

namespace md::kms::gcp {

uint32_t Crc32c(ByteView data);

// The decimal string Cloud KMS JSON carries (an Int64Value), e.g. "3808858755".
std::string Crc32cDecimal(ByteView data);

}  // namespace md::kms::gcp
