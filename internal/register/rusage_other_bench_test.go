//go:build !unix

package register

import "time"

// cpuTime is not measured here.
func cpuTime() time.Duration { return 0 }
