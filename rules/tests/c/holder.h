// A class declared in a header, its members defined in holder_impl.cc:
// the constructor reads input into the member buffer through a pointer
// (fgets at an offset), the destructor runs it.
#include <cstddef>

class CommandHolder {
 public:
  explicit CommandHolder(char *buffer);
  ~CommandHolder();

 private:
  char *data;
};

class FixedHolder {
 public:
  explicit FixedHolder(char *buffer);
  ~FixedHolder();

 private:
  char *data;
};
