// stray.cpp: in no layer, reads a file, includes the journal
#include <fstream>
#include "journal/journal.hpp"
