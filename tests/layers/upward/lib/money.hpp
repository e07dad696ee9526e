// money.hpp: includes a higher layer
#include "lib/apply.hpp"
