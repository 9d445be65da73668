// A class whose constructor picks the buffer and whose destructor writes it.
#pragma once

class SmallCopy {
 public:
  explicit SmallCopy(char *initial);
  ~SmallCopy();

 private:
  char *data;
};

class RoomyCopy {
 public:
  explicit RoomyCopy(char *initial);
  ~RoomyCopy();

 private:
  char *data;
};
