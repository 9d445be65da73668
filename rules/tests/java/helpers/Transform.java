package samples.helpers;

// A value transformation behind an interface; which implementation runs is
// chosen at run time (TransformFactory), so a call through the interface
// may run any of them.
public interface Transform {
  String apply(String in);
}
