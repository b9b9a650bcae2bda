#pragma once
// Escaping for XML 1.0 reports (junit.xml). Any text is accepted: it is made valid UTF-8, the
// five markup characters become entities, and the characters XML 1.0 cannot carry at all (C0
// controls but tab, newline and carriage return; U+FFFE, U+FFFF) are shown as "\u0001" instead,
// as is DEL, which XML allows but a terminal showing the file would act on.

#include <string>
#include <string_view>

namespace stormlog::reports {

// For character data between tags. A carriage return becomes &#13; so that a parser's line-end
// normalisation does not drop it.
std::string xml_text(std::string_view s);

// For an attribute value in double quotes. Tab, newline and carriage return become character
// references too: a parser would otherwise turn each into a space.
std::string xml_attribute(std::string_view s);

}  // namespace stormlog::reports
