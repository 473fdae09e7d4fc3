// Include this instead of <soci/soci.h>. Debian's SOCI 4.0.3 is configured with SOCI_HAVE_BOOST,
// which makes <soci/bind-values.h> include Boost.Fusion headers that are not installed (and not a
// project dependency). Boost is used there only by header templates for binding Fusion sequences,
// so turning the macros off changes no layout or library ABI.
#pragma once

#include <soci/soci-config.h>

#undef SOCI_HAVE_BOOST
#undef SOCI_HAVE_BOOST_DATE_TIME

#include <soci/soci.h>  // IWYU pragma: export
