#include "onshi/mocks/card/patient_card.hpp"

#include "onshi/mocks/card/my_number_card_factory.hpp"
#include "onshi/pki/issue.hpp"

namespace onshi::mocks::card {

std::shared_ptr<iso7816::Icc> make_patient_card(const population::Patient& patient, const pki::TestPki& test_pki,
                                                const PatientCardOptions& options) {
  const pki::Credential& auth = test_pki.patient(patient.id);
  const pki::Credential& sign = test_pki.patient_signature(patient.id);
  MyNumberCardSpec spec;
  spec.auth = {auth.certificate, auth.key};
  if (options.expired_auth_certificate) {
    const auto now = std::chrono::system_clock::now();
    pki::CertificateSpec expired;
    expired.subject = {{"C", "JP"}, {"O", "JPKI-like test CA"}, {"CN", auth.certificate.subject_attribute("CN")}};
    expired.not_before = now - std::chrono::hours(24 * 400);
    expired.not_after = now - std::chrono::hours(24);
    spec.auth.certificate = pki::issue_certificate(expired, auth.key, &test_pki.jpki_ca);
  }
  spec.auth_ca = test_pki.jpki_ca.certificate;
  spec.auth_pin = patient.auth_pin;
  spec.sign = {sign.certificate, sign.key};
  spec.sign_ca = test_pki.jpki_ca.certificate;
  spec.sign_password = patient.sign_password;
  spec.terminal_ca = test_pki.terminal_ca.certificate;
  spec.issuer_key = test_pki.jpki_ca.key;
  spec.kenhojo_pin = patient.kenhojo_pin;
  spec.my_number = patient.my_number;
  // ISO 5218 on the card: 9 = not applicable, where the population says 3 (未設定).
  spec.basic_four = {patient.name, patient.address, patient.birthdate, patient.sex == "3" ? "9" : patient.sex};
  spec.card_expiry = patient.card_expiry;
  spec.security_code = patient.security_code;
  spec.face_image = synthetic_face_image(patient.face_seed);
  std::unique_ptr<VirtualMyNumberCard> card = make_virtual_my_number_card(spec);
  if (!options.state_file.empty()) card->keep_state_in(CardStateFile(options.state_file));
  return card;
}

std::filesystem::path patient_card_state_file(const std::filesystem::path& dir, const population::Patient& patient) {
  return dir / (patient.id + ".json");
}

}  // namespace onshi::mocks::card
