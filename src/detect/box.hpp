#pragma once
// Box geometry shared by scoring (flip stability), evaluation (COCO AP) and, later, box
// consensus. Boxes follow COCO: top-left corner plus width and height in pixels, in double, so
// that IoU is computed exactly as cocoapi's maskApi bbIou does (the evaluator must reproduce its
// numbers to 1e-12). Pool and scores files store corners (x0, y0, x1, y1): convert with
// from_corners.
namespace quarry::detect {

struct Box {
  double x = 0, y = 0, w = 0, h = 0;

  double area() const { return w * h; }
};

Box from_corners(double x0, double y0, double x1, double y1);

// Intersection over union as maskApi's bbIou: 0 where the boxes do not overlap. Against a crowd
// truth box the union is the detection's own area (a detection inside a crowd region matches it
// however small it is).
double iou(const Box& detection, const Box& truth, bool truth_is_crowd = false);

}  // namespace quarry::detect
