// Whether the ONS side trusts the card's PKI (docs/doctor.md, "Card PKI and ONS PKI"). An
// embedded mock serves the rig's own test PKI, so they agree by construction. A remote ONS
// is asked one card inquiry signed with the scenario patient's virtual card key: HIL0410
// (untrusted issuer) means the card PKI and the ONS PKI differ, and the finding names both
// by fingerprint, since their issuer DNs read the same.
#include "examination.hpp"
#include "onshi/core/clock.hpp"
#include "onshi/core/error.hpp"
#include "onshi/crypto/certificate.hpp"
#include "onshi/flow/scenario.hpp"

namespace onshi::doctor::detail {

void check_card_pki(Examination& exam) {
  if (!exam.pki || !exam.population || !exam.client) return;
  const crypto::Certificate& jpki_ca = exam.pki->jpki_ca.certificate;
  const std::string card_ca = "the card's JPKI CA '" + jpki_ca.subject() + "' (SHA-256 " + jpki_ca.sha256_fingerprint() +
                              ", test PKI " + exam.pki_dir.string() + ")";
  if (!exam.remote_ons) {
    exam.ok("card_pki.trusted_by_ons", "the embedded mock ONS trusts " + card_ca + ": both come from one test PKI");
    return;
  }
  if (exam.rig.card.kind != "virtual") {
    exam.warning("card_pki.trusted_by_ons", "not checked: the card is physical, the doctor cannot sign for it",
                 "the first reception will show it: an ONS answer HIL0410 means the card's PKI is not the ONS's");
    return;
  }
  if (!exam.probe.answered) {
    exam.warning("card_pki.trusted_by_ons", "not checked: the ONS did not answer (see the ons findings)",
                 "fix the ONS endpoint first, then run the doctor again");
    return;
  }
  try {
    const auto scenarios = flow::load_scenarios(
        exam.rig.scenario_catalogue.empty() ? flow::default_scenario_catalogue() : exam.rig.scenario_catalogue,
        *exam.population);
    const flow::Scenario& scenario = flow::find_scenario(scenarios, exam.rig.scenario);
    const pki::Credential& card = exam.pki->patient(scenario.patient);
    ons::CardQualificationInquiry inquiry;
    inquiry.header.qualification_confirmation_date = format_jst_date(exam.now);
    inquiry.header.medical_institution_code = exam.rig.facility_code;
    inquiry.header.arbitrary_file_identifier = "onshi-hil-doctor";
    inquiry.user_authentication_certificate = card.certificate.to_der();
    inquiry.challenge = crypto::random_bytes(32);
    inquiry.challenge_signature = card.key.sign_pkcs1_raw(crypto::sha256_digest_info(inquiry.challenge));
    ons::OnsClient client(*exam.client);
    try {
      client.inquire(inquiry);
      exam.ok("card_pki.trusted_by_ons", "the ONS accepted a card inquiry signed by the virtual card of " + card_ca);
    } catch (const ons::OnsStatusError& e) {
      const bool untrusted = e.result() && e.result()->header.error_code == std::optional<std::string>("HIL0410");
      if (!untrusted) {
        // Any other refusal is about the patient or the request, not the issuer.
        exam.ok("card_pki.trusted_by_ons", "the ONS took the card's certificate from " + card_ca + " (it answered HTTP " +
                                               std::to_string(e.http_status()) + ": " + e.context() + ")");
        return;
      }
      const auto ons_ca = crypto::Certificate::load_pem_bundle(exam.client->http.tls.ca_file);
      const std::string server_ca = ons_ca.empty() ? std::string("(none)") : ons_ca.front().sha256_fingerprint();
      const std::string own_ons_ca = exam.pki->ons_ca.certificate.sha256_fingerprint();
      exam.failed("card_pki.trusted_by_ons",
                  "the card PKI and the ONS PKI differ: the ONS refused the card's certificate as from an untrusted "
                  "issuer (HIL0410). The card is from " + card_ca + "; the ONS's server CA (server_ca, SHA-256 " +
                      server_ca + ") " +
                      (server_ca == own_ons_ca ? "is this test PKI's, yet the ONS trusts another JPKI CA"
                                               : "is not this test PKI's ONS CA (SHA-256 " + own_ons_ca +
                                                     "): the ONS was started from another test PKI"),
                  "start the ONS with the rig's test PKI (`onshi-hil mock ons --pki " + exam.pki_dir.string() +
                      "`), or set the rig's [pki] dir to the PKI the ONS was started with");
    }
  } catch (const Error& e) {
    exam.warning("card_pki.trusted_by_ons", "not checked: the card inquiry could not be made: " + e.message(),
                 "fix the findings above, then run the doctor again");
  }
}

}  // namespace onshi::doctor::detail
