<?php

declare(strict_types=1);

/** Percentiles of a list of durations in milliseconds, printed as one line. */
final class Stats
{
	public static function line(string $label, array $ms): string
	{
		sort($ms);
		$at = static fn(float $p): float => $ms[(int)min(count($ms) - 1, max(0, (int)ceil($p * count($ms)) - 1))];

		return sprintf('%-58s n=%4d  median %7.3f ms  p90 %7.3f ms  p99 %7.3f ms  max %7.3f ms',
			$label, count($ms), $at(0.5), $at(0.9), $at(0.99), end($ms));
	}
}
