#include "result_file.hpp"

#include <libxml/parser.h>
#include <libxml/tree.h>
#include <libxml/xmlerror.h>

#include <climits>
#include <memory>

namespace onshi::reference_rc {
namespace {

void quiet(void*, const char*, ...) {}

struct DocFree {
  void operator()(xmlDoc* d) const { xmlFreeDoc(d); }
};

std::string name_of(const xmlNode* n) { return reinterpret_cast<const char*>(n->name); }

const xmlNode* child(const xmlNode* parent, std::string_view name) {
  if (parent == nullptr) return nullptr;
  for (const xmlNode* c = parent->children; c != nullptr; c = c->next) {
    if (c->type == XML_ELEMENT_NODE && name_of(c) == name) return c;
  }
  return nullptr;
}

std::string text(const xmlNode* n) {
  if (n == nullptr) return {};
  xmlChar* content = xmlNodeGetContent(n);
  std::string s = content != nullptr ? reinterpret_cast<const char*>(content) : "";
  xmlFree(content);
  return s;
}

}  // namespace

std::optional<ResultFile> read_result_file(std::string_view bytes, const std::string& name, std::string& reason) {
  ResultFile r;
  std::string unknown;
  const auto encoding = declared_encoding(bytes, unknown);
  if (!encoding) {
    reason = "declared encoding '" + unknown + "' is neither UTF-8 nor Shift_JIS";
    return std::nullopt;
  }
  r.encoding = *encoding;
  std::string problem;
  const auto utf8 = to_utf8(bytes, r.encoding, problem);
  if (!utf8) {
    reason = "declared " + std::string(declared_name(r.encoding)) + ", but " + problem;
    return std::nullopt;
  }
  if (utf8->size() > INT_MAX) {
    reason = "too large";
    return std::nullopt;
  }
  xmlSetGenericErrorFunc(nullptr, quiet);
  xmlResetLastError();
  // The bytes are UTF-8 now, whatever the declaration said: tell libxml2 so. No network, no
  // entity expansion, no DTD loading.
  std::unique_ptr<xmlDoc, DocFree> doc(
      xmlReadMemory(utf8->data(), static_cast<int>(utf8->size()), name.c_str(), "UTF-8", XML_PARSE_NONET));
  if (!doc) {
    const xmlError* e = xmlGetLastError();
    std::string message = e != nullptr && e->message != nullptr ? e->message : "unknown error";
    while (!message.empty() && (message.back() == '\n' || message.back() == ' ')) message.pop_back();
    reason = "not well-formed XML (libxml2: " + message + (e != nullptr ? ", line " + std::to_string(e->line) : "") + ")";
    return std::nullopt;
  }
  const xmlNode* root = xmlDocGetRootElement(doc.get());
  if (root == nullptr || name_of(root) != "XmlMsg") {
    reason = "the root element is not XmlMsg";
    return std::nullopt;
  }
  const xmlNode* header = child(root, "MessageHeader");
  const xmlNode* body = child(root, "MessageBody");
  if (header == nullptr || body == nullptr) {
    reason = "no MessageHeader or MessageBody";
    return std::nullopt;
  }
  const xmlNode* cci = child(header, "CharacterCodeIdentifier");
  if (cci == nullptr) {
    reason = "MessageHeader has no CharacterCodeIdentifier";
    return std::nullopt;
  }
  r.character_code_identifier = text(cci);
  const std::string expected = r.encoding == FileEncoding::shift_jis ? "1" : "0";
  if (r.character_code_identifier != expected) {
    reason = "CharacterCodeIdentifier " + r.character_code_identifier + " does not match the file's encoding " +
             std::string(declared_name(r.encoding)) + " (expected " + expected + ")";
    return std::nullopt;
  }
  r.segment_of_result = text(child(header, "SegmentOfResult"));
  r.processing_result_status = text(child(body, "ProcessingResultStatus"));
  if (r.segment_of_result.empty() || r.processing_result_status.empty()) {
    reason = "no SegmentOfResult or ProcessingResultStatus";
    return std::nullopt;
  }
  r.error_code = text(child(header, "ErrorCode"));
  r.medical_institution_code = text(child(header, "MedicalInstitutionCode"));
  r.arbitrary_file_identifier = text(child(header, "ArbitraryFileIdentifier"));
  r.qualification_validity = text(child(body, "QualificationValidity"));
  const xmlNode* first = child(child(body, "ResultList"), "ResultOfQualificationConfirmation");
  r.insurer_number = text(child(first, "InsurerNumber"));
  r.insured_card_symbol = text(child(first, "InsuredCardSymbol"));
  r.insured_identification_number = text(child(first, "InsuredIdentificationNumber"));
  r.insured_branch_number = text(child(first, "InsuredBranchNumber"));
  r.birthdate = text(child(first, "Birthdate"));
  return r;
}

}  // namespace onshi::reference_rc
