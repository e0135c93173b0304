#include "onshi/rig/reader_resource.hpp"

#include <cstdio>
#include <cstdlib>
#include <vector>

#include "onshi/core/error.hpp"

namespace onshi::rig {
namespace {

bool plain(char c) { return (c >= 'a' && c <= 'z') || (c >= '0' && c <= '9'); }

std::string escape(std::string_view text) {
  std::string out;
  for (const char c : text) {
    if (plain(c)) {
      out += c;
    } else {
      char hex[4];
      std::snprintf(hex, sizeof hex, "_%02x", static_cast<unsigned>(static_cast<unsigned char>(c)));
      out += hex;
    }
  }
  return out;
}

int hex_value(char c) {
  if (c >= '0' && c <= '9') return c - '0';
  if (c >= 'a' && c <= 'f') return c - 'a' + 10;
  return -1;
}

std::string unescape(std::string_view id) {
  std::string out;
  for (std::size_t i = 0; i < id.size(); ++i) {
    if (plain(id[i])) {
      out += id[i];
      continue;
    }
    const int high = id[i] == '_' && i + 2 < id.size() ? hex_value(id[i + 1]) : -1;
    const int low = high >= 0 ? hex_value(id[i + 2]) : -1;
    if (low < 0) {
      throw Error(ErrorCode::malformed_input,
                  "CTest resource id '" + std::string(id) + "': byte " + std::to_string(i) +
                      " is neither [a-z0-9] nor an escape _xx");
    }
    out += static_cast<char>(high * 16 + low);
    i += 2;
  }
  return out;
}

std::vector<std::string> split(const std::string& text, char separator) {
  std::vector<std::string> parts;
  std::size_t start = 0;
  for (std::size_t at = text.find(separator); at != std::string::npos; at = text.find(separator, start)) {
    parts.push_back(text.substr(start, at - start));
    start = at + 1;
  }
  parts.push_back(text.substr(start));
  return parts;
}

}  // namespace

std::string ReaderResource::describe() const {
  return source == Source::usbip ? "usbip " + address + " busid " + busid : "libusb " + address;
}

std::string ctest_resource_id(const ReaderResource& reader) {
  return reader.source == ReaderResource::Source::usbip ? escape("usbip/" + reader.address + "/" + reader.busid)
                                                        : escape("libusb/" + reader.address);
}

ReaderResource reader_from_ctest_resource_id(std::string_view id) {
  const std::vector<std::string> parts = split(unescape(id), '/');
  auto bad = [&](const std::string& why) {
    return Error(ErrorCode::malformed_input, "CTest resource id '" + std::string(id) + "': " + why +
                                                 " (onshi-hil rig scan --ctest-resources writes the ids)");
  };
  ReaderResource reader;
  if (parts[0] == "usbip") {
    if (parts.size() != 3 || parts[1].empty() || parts[2].empty()) throw bad("expected usbip/HOST:PORT/BUSID");
    reader.source = ReaderResource::Source::usbip;
    reader.address = parts[1];
    reader.busid = parts[2];
  } else if (parts[0] == "libusb") {
    if (parts.size() != 2 || parts[1].empty()) throw bad("expected libusb/VID:PID[:SERIAL]");
    reader.address = parts[1];
  } else {
    throw bad("unknown reader source '" + parts[0] + "' (known: libusb, usbip)");
  }
  return reader;
}

std::optional<ReaderResource> ctest_allocated_reader(const EnvironmentLookup& environment) {
  const char* count = environment("CTEST_RESOURCE_GROUP_COUNT");
  if (count == nullptr || *count == '\0') return std::nullopt;
  // "id:ID,slots:N" (CTest's format for one allocated resource).
  const std::string variable = "CTEST_RESOURCE_GROUP_0_CCID_READER";
  const char* value = environment(variable.c_str());
  if (value == nullptr || *value == '\0') {
    throw Error(ErrorCode::config, "CTest allocated resources but no " + std::string(ccid_reader_resource) +
                                       " (the test declares RESOURCE_GROUPS \"ccid_reader:1\")",
                variable);
  }
  const std::string text = value;
  if (text.rfind("id:", 0) != 0) {
    throw Error(ErrorCode::config, "expected id:ID,slots:N, got '" + text + "'", variable);
  }
  const std::size_t end = text.find(',');
  return reader_from_ctest_resource_id(std::string_view(text).substr(3, end == std::string::npos ? end : end - 3));
}

std::optional<ReaderResource> ctest_allocated_reader() {
  return ctest_allocated_reader([](const char* name) -> const char* { return std::getenv(name); });
}

}  // namespace onshi::rig
