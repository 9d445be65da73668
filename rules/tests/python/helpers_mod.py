def passthrough(value):
    return "%s" % value


def constant_out(value):
    result = value
    result = "fixed"
    return result
