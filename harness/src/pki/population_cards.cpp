#include "onshi/pki/population_cards.hpp"

#include <algorithm>
#include <atomic>
#include <exception>
#include <mutex>
#include <set>
#include <thread>

#include "onshi/core/error.hpp"

namespace onshi::pki {
namespace {

struct Validity {
  WallTime not_before;
  WallTime not_after;
};

Validity card_validity(const TestPki& pki, const Recipe& recipe, const Clock& clock) {
  const WallTime now = std::chrono::time_point_cast<std::chrono::seconds>(clock.wall_now());
  return {now - recipe.backdate_days * std::chrono::days{1},
          std::min(pki.jpki_ca.certificate.not_after(), now + recipe.leaf_validity_days * std::chrono::days{1})};
}

bool has_card(const TestPki& pki, const std::string& id) {
  return pki.patients.contains(id) || pki.population_cards.contains(id);
}

// RSA key generation is what costs (tens to hundreds of ms per 2048-bit key); OpenSSL 3
// generates keys on several threads safely, so spread them over the cores.
std::vector<crypto::PrivateKey> generate_keys(std::size_t count, unsigned bits, unsigned jobs) {
  std::vector<crypto::PrivateKey> keys(count);
  std::atomic<std::size_t> next{0};
  std::mutex failure_mutex;
  std::exception_ptr failure;
  auto work = [&] {
    for (std::size_t i = next++; i < count; i = next++) {
      try {
        keys[i] = crypto::PrivateKey::generate_rsa(bits);
      } catch (...) {
        const std::lock_guard lock(failure_mutex);
        if (!failure) failure = std::current_exception();
        next = count;
      }
    }
  };
  if (jobs == 0) jobs = std::max(1u, std::thread::hardware_concurrency());
  const std::size_t threads = std::min<std::size_t>(jobs, count);
  {
    std::vector<std::jthread> pool;
    for (std::size_t t = 1; t < threads; ++t) pool.emplace_back(work);
    work();
  }
  if (failure) std::rethrow_exception(failure);
  return keys;
}

}  // namespace

std::size_t add_population_cards(TestPki& pki, const Recipe& recipe, const std::vector<std::string>& patient_ids,
                                 const Clock& clock, unsigned jobs) {
  if (!pki.jpki_ca) throw Error(ErrorCode::config, "the test PKI has no JPKI CA to issue cards with", "test PKI");
  std::vector<std::string> todo;
  std::set<std::string> queued;
  for (const auto& id : patient_ids) {
    if (!is_card_directory_id(id)) {
      throw Error(ErrorCode::config, "patient id '" + id + "' is not usable as a directory name", "population");
    }
    if (!has_card(pki, id) && queued.insert(id).second) todo.push_back(id);
  }
  if (todo.empty()) return 0;
  std::vector<crypto::PrivateKey> keys = generate_keys(2 * todo.size(), recipe.key_bits, jobs);
  const Validity validity = card_validity(pki, recipe, clock);
  for (std::size_t i = 0; i < todo.size(); ++i) {
    pki.population_cards.emplace(todo[i], issue_card_credentials(recipe, pki.jpki_ca, todo[i], validity.not_before,
                                                                 validity.not_after, std::move(keys[2 * i]),
                                                                 std::move(keys[2 * i + 1])));
  }
  return todo.size();
}

void recertify_population_cards(const TestPki& from, TestPki& to, const Recipe& recipe, const Clock& clock) {
  const Validity validity = card_validity(to, recipe, clock);
  for (const auto& [id, card] : from.population_cards) {
    if (to.patients.contains(id) || !card.auth.key || !card.sign.key) continue;
    if (card.auth.key.bits() != recipe.key_bits || card.sign.key.bits() != recipe.key_bits) continue;
    to.population_cards.insert_or_assign(
        id, issue_card_credentials(recipe, to.jpki_ca, id, validity.not_before, validity.not_after, card.auth.key,
                                   card.sign.key));
  }
}

}  // namespace onshi::pki
