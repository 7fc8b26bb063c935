"""Writes small TorchScript detectors that break the detection contract, for the CLI tests.

usage: make_detector.py KIND OUT.pt   for a keypoint pool of 1x32x32 items, 1 class, 5 keypoints.
  boxes: boxes [B,4,3] instead of [B,D,4]
  nan:   NaN boxes for items whose first pixel is above 128 (after quarry's scaling: 128/255)
  label: a confident detection of class 7
"""
import sys
from typing import Dict

import torch


class Detector(torch.nn.Module):
    def __init__(self, kind: str):
        super().__init__()
        self.kind = kind

    def forward(self, x: torch.Tensor) -> Dict[str, torch.Tensor]:
        b, d = x.size(0), 4
        boxes = torch.tensor([4.0, 4.0, 20.0, 20.0]).repeat(b, d, 1)
        scores = torch.full([b, d], 0.9)
        labels = torch.zeros([b, d], dtype=torch.int64)
        if self.kind == "boxes":
            boxes = boxes[:, :, :3]
        if self.kind == "nan":
            bad = (x[:, 0, 0, 0] > 128.0 / 255.0).view(b, 1, 1)
            boxes = torch.where(bad, torch.full_like(boxes, float("nan")), boxes)
        if self.kind == "label":
            labels = labels + 7
        keypoints = torch.zeros([b, d, 5, 3])
        return {"boxes": boxes, "scores": scores, "labels": labels, "keypoints": keypoints}


torch.jit.script(Detector(sys.argv[1]).eval()).save(sys.argv[2])
