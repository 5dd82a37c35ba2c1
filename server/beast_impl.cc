// Boost.Beast and Boost.Asio, compiled once (STYLE: "the Beast/Asio separate-compilation unit lives
// here"). Every other file that includes Beast or Asio headers sees BOOST_BEAST_SEPARATE_COMPILATION
// and BOOST_ASIO_SEPARATE_COMPILATION (PUBLIC compile definitions of hearth_server), so their
// non-template functions are declared there and defined only here, instead of being compiled again
// in every translation unit. Keep this file alone: it is the slowest one in the server to compile
// (about 11 s with -O2 -g on this machine), and it changes only when Boost does.
#if !defined(BOOST_BEAST_SEPARATE_COMPILATION) || !defined(BOOST_ASIO_SEPARATE_COMPILATION)
#error "hearth_server must define BOOST_BEAST_SEPARATE_COMPILATION and BOOST_ASIO_SEPARATE_COMPILATION"
#endif

#include <boost/asio/impl/src.hpp>
#include <boost/asio/ssl/impl/src.hpp>  // TLS (server/http/tls.h); links OpenSSL::SSL
#include <boost/beast/src.hpp>
