// b.cpp
#include "lib/a.hpp"
