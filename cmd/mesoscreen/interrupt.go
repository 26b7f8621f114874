package main

import (
	"os"
	"os/signal"
	"syscall"
)

// onInterrupt runs cleanup when the process is interrupted (Ctrl-C) or
// told to terminate, then lets the signal end the process as it would
// have, so that the exit status still says what happened. The returned
// stop ends the watch.
func onInterrupt(cleanup func()) (stop func()) {
	sigs := make(chan os.Signal, 1)
	done := make(chan struct{})
	signal.Notify(sigs, os.Interrupt, syscall.SIGTERM)
	go func() {
		select {
		case sig := <-sigs:
			cleanup()
			signal.Reset(sig)
			if p, err := os.FindProcess(os.Getpid()); err == nil {
				p.Signal(sig)
			}
		case <-done:
		}
	}()
	return func() {
		signal.Stop(sigs)
		close(done)
	}
}
