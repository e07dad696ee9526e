// a.hpp
#include "lib/b.hpp"
