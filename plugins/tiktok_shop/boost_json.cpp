// Boost.JSON compiled into this plugin (header-only mode), so that the shared library needs no
// Boost library at run time. Exactly one source file of a plugin includes this.
#include <boost/json/src.hpp>
