#include "request_file.hpp"

namespace onshi::reference_rc {
namespace {

std::string escaped(const std::string& s) {
  std::string out;
  for (const char c : s) {
    switch (c) {
      case '&': out += "&amp;"; break;
      case '<': out += "&lt;"; break;
      case '>': out += "&gt;"; break;
      default: out += c;
    }
  }
  return out;
}

}  // namespace

std::string request_xml(const ResultFile& face, FileEncoding encoding, const std::string& identifier,
                        const std::string& date) {
  const std::string nl = "\r\n";
  std::string x = encoding == FileEncoding::shift_jis ? "<?xml version='1.0' encoding='Shift_JIS'?>"
                                                      : "<?xml version=\"1.0\" encoding=\"UTF-8\"?>";
  x += nl + "<XmlMsg>" + nl;
  x += "\t<MessageHeader>" + nl;
  x += "\t\t<QualificationConfirmationDate>" + date + "</QualificationConfirmationDate>" + nl;
  x += "\t\t<MedicalInstitutionCode>" + escaped(face.medical_institution_code) + "</MedicalInstitutionCode>" + nl;
  x += "\t\t<ArbitraryFileIdentifier>" + escaped(identifier) + "</ArbitraryFileIdentifier>" + nl;
  x += "\t</MessageHeader>" + nl;
  x += "\t<MessageBody>" + nl;
  x += "\t\t<QualificationConfirmSearchInfo>" + nl;
  x += "\t\t\t<InsurerNumber>" + escaped(face.insurer_number) + "</InsurerNumber>" + nl;
  if (!face.insured_card_symbol.empty()) {
    x += "\t\t\t<InsuredCardSymbol>" + escaped(face.insured_card_symbol) + "</InsuredCardSymbol>" + nl;
  }
  x += "\t\t\t<InsuredIdentificationNumber>" + escaped(face.insured_identification_number) +
       "</InsuredIdentificationNumber>" + nl;
  if (!face.insured_branch_number.empty()) {
    x += "\t\t\t<InsuredBranchNumber>" + escaped(face.insured_branch_number) + "</InsuredBranchNumber>" + nl;
  }
  x += "\t\t\t<Birthdate>" + escaped(face.birthdate) + "</Birthdate>" + nl;
  x += "\t\t\t<LimitApplicationCertificateRelatedConsFlg>0</LimitApplicationCertificateRelatedConsFlg>" + nl;
  x += "\t\t</QualificationConfirmSearchInfo>" + nl;
  x += "\t</MessageBody>" + nl;
  x += "</XmlMsg>" + nl;
  return x;
}

std::string request_bytes(const std::string& xml, FileEncoding encoding, RequestFault fault, std::string& problem) {
  switch (fault) {
    case RequestFault::truncated: {
      const auto bytes = from_utf8(xml, encoding, problem);
      return bytes ? bytes->substr(0, bytes->size() * 3 / 5) : std::string();
    }
    case RequestFault::wrong_encoding: {
      // The declaration says UTF-8; the bytes are CP932, so 髙 (FB FC) is not valid UTF-8.
      std::string relabelled = xml;
      const std::string sjis_declaration = "<?xml version='1.0' encoding='Shift_JIS'?>";
      if (relabelled.compare(0, sjis_declaration.size(), sjis_declaration) == 0) {
        relabelled.replace(0, sjis_declaration.size(), "<?xml version=\"1.0\" encoding=\"UTF-8\"?>");
      }
      const auto bytes = from_utf8(relabelled, FileEncoding::shift_jis, problem);
      return bytes ? *bytes : std::string();
    }
    case RequestFault::none:
      break;
  }
  const auto bytes = from_utf8(xml, encoding, problem);
  return bytes ? *bytes : std::string();
}

}  // namespace onshi::reference_rc
