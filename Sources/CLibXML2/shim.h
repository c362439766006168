// libxml2's reader and error API. ICU's headers are kept out: Foundation ships its own copy of ICU's
// declarations, and the two clash in one Swift module. No ICU type is used through this module.
#include <libxml/xmlversion.h>
#undef LIBXML_ICU_ENABLED
#include <libxml/xmlreader.h>
#include <libxml/xmlerror.h>
#include <libxml/parser.h>
