#include "thaiyyal/model/walk.h"

#include <utility>

namespace thaiyyal {

void for_each_string(
    const Value& root,
    const std::function<void(const std::string& text, const std::vector<PathStep>& path,
                             bool at_key)>& fn) {
  struct Item {
    const Value* value;
    std::vector<PathStep> path;
    bool member = false;  ///< an object member: its key is visited too
  };
  std::vector<Item> stack{{&root, {}, false}};
  while (!stack.empty()) {
    Item item = std::move(stack.back());
    stack.pop_back();
    if (item.member) fn(item.path.back().key, item.path, true);
    if (const std::string* s = item.value->if_string()) {
      fn(*s, item.path, false);
    } else if (const Array* a = item.value->if_array()) {
      for (std::size_t k = a->size(); k-- > 0;) {
        auto path = item.path;
        path.push_back(PathStep{"", k});
        stack.push_back(Item{&(*a)[k], std::move(path), false});
      }
    } else if (const Object* o = item.value->if_object()) {
      const auto& entries = o->entries();
      for (std::size_t k = entries.size(); k-- > 0;) {
        auto path = item.path;
        path.push_back(PathStep{entries[k].first, std::nullopt});
        stack.push_back(Item{&entries[k].second, std::move(path), true});
      }
    }
  }
}

}  // namespace thaiyyal
