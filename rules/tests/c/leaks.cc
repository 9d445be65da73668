// C++: objects and arrays from new that nothing deletes or owns.
#include <cstdio>
#include <memory>

struct Item {
  int id = 0;
  void Register();
};

void lost_array() {
  // ruleid: memory-leak
  int* values = new int[16];
  values[0] = 1;
  std::printf("%d\n", values[0]);
}

void lost_object() {
  // ruleid: memory-leak
  Item* item = new Item;
  item->id = 3;
  std::printf("%d\n", item->id);
}

void deleted() {
  // ok: memory-leak
  Item* item = new Item;
  item->id = 1;
  delete item;
}

void self_registering() {
  // ok: memory-leak
  Item* item = new Item;
  item->Register();  // may keep itself in a registry
}

void owned() {
  // ok: memory-leak
  std::unique_ptr<Item> item(new Item);
  item->id = 2;
}
