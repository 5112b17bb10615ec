#pragma once

#include <string>

#include "fostat/sample.h"

namespace fostat {

// Where a source delivers its samples. A source knows nothing of what is behind it:
// the collector puts one run's transaction there, tests put a vector.
class SampleSink {
  public:
    virtual ~SampleSink() = default;
    // REQUIRES: sample.server and sample.scope are not empty.
    virtual void add(const Sample& sample) = 0;
    // A remark the run should keep: what a source left out, and why ("scope 10.3.0.0 ...:
    // ERROR_..."). The collector stores it in the run's message; by default it is dropped.
    virtual void note(const std::string& remark) { (void)remark; }
};

}  // namespace fostat
