// onshi_test_pki: makes sure a test PKI exists in a directory (the ctest fixture `test_pki`
// runs it), or regenerates one on request.
//   onshi_test_pki ensure DIR      load DIR if complete and valid, else generate and write it
//   onshi_test_pki generate DIR    always generate and write
#include <iostream>
#include <string>

#include "onshi/core/error.hpp"
#include "onshi/pki/test_pki.hpp"

int main(int argc, char** argv) {
  using namespace onshi;
  if (argc != 3 || (std::string(argv[1]) != "ensure" && std::string(argv[1]) != "generate")) {
    std::cerr << "usage: onshi_test_pki ensure|generate DIR\n"
                 "  recipe: fixtures/pki/recipe.toml, population: fixtures/population (ONSHI_FIXTURES_DIR overrides)\n";
    return 2;
  }
  try {
    const std::filesystem::path dir = argv[2];
    pki::TestPki result;
    if (std::string(argv[1]) == "ensure") {
      result = pki::ensure_test_pki(dir);
    } else {
      result = pki::generate_test_pki(pki::load_recipe(), fixtures::load_population());
      pki::write_test_pki(result, dir);
    }
    std::cout << "test PKI in " << dir.string() << ": " << result.terminals.size() << " terminal(s), "
              << result.patients.size() << " patient(s), ONS server certificate valid until "
              << format_jst_date(result.ons_server.certificate.not_after()) << " (JST)\n";
    return 0;
  } catch (const Error& e) {
    std::cerr << "onshi_test_pki: " << to_string(e.code()) << ": " << e.message();
    if (!e.context().empty()) std::cerr << " (" << e.context() << ")";
    std::cerr << "\n";
    return 1;
  }
}
