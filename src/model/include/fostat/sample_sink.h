#pragma once

#include "fostat/sample.h"

namespace fostat {

// Where a source delivers its samples. A source knows nothing of what is behind it:
// the collector puts one run's transaction there, tests put a vector.
class SampleSink {
  public:
    virtual ~SampleSink() = default;
    // REQUIRES: sample.server and sample.scope are not empty.
    virtual void add(const Sample& sample) = 0;
};

}  // namespace fostat
