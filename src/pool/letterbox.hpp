#pragma once
// Letterboxing: an image of any size scaled to fit the pool's H x W with its aspect kept,
// centred, the rest padded with 0. Coordinates map as stored = original * scale + (dx, dy), the
// transform a pool keeps in /source/transform.
#include <array>
#include <cstdint>
#include <span>
#include <vector>

namespace quarry::pool {

struct Letterbox {
  double scale = 1, dx = 0, dy = 0;

  double x(double original) const { return original * scale + dx; }
  double y(double original) const { return original * scale + dy; }
};

// The transform fitting a width x height image into out_width x out_height.
Letterbox fit_letterbox(std::uint32_t width, std::uint32_t height, std::uint32_t out_width,
                        std::uint32_t out_height);

// Resamples planar `in` [C,height,width] into `out` [C,out_height,out_width] (zeroed padding)
// with a triangle filter whose support widens with the reduction, so shrinking averages every
// source pixel (no aliasing) and enlarging interpolates bilinearly.
void letterbox_image(std::span<const std::uint8_t> in, std::uint32_t channels, std::uint32_t width,
                     std::uint32_t height, const Letterbox& box, std::uint32_t out_width,
                     std::uint32_t out_height, std::span<std::uint8_t> out);

// Planar gray <-> RGB: gray replicated into three channels, RGB to ITU-R 601 luma.
std::vector<std::uint8_t> convert_channels(std::span<const std::uint8_t> planar, std::uint32_t from,
                                           std::uint32_t to);

}  // namespace quarry::pool
