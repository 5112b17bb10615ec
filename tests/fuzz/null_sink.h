// What the fuzz targets hand samples to: they only look for crashes.
#pragma once

#include "fostat/sample_sink.h"

namespace fostat {

class NullSink : public SampleSink {
  public:
    void add(const Sample&) override {}
};

}  // namespace fostat
